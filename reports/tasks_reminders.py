"""Celery beat's reminder tasks: thin wrappers, the work and the once-only rule are in the service.

Each returns how many e-mails it sent; running one twice sends nothing the second time.
"""

from celery import shared_task

from . import reminders


@shared_task(name="reports.remind_upcoming_sessions")
def remind_upcoming_sessions_task() -> int:
    return reminders.remind_upcoming_sessions()


@shared_task(name="reports.remind_opinions")
def remind_opinions_task() -> int:
    return reminders.remind_opinions()


@shared_task(name="reports.remind_missing_minutes")
def remind_missing_minutes_task() -> int:
    return reminders.remind_missing_minutes()


@shared_task(name="reports.remind_quota_shortfalls")
def remind_quota_shortfalls_task() -> int:
    return reminders.remind_quota_shortfalls()
