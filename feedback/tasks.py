"""Celery beat's job for residents' personal data: a thin wrapper, the work is in personal.py."""

from celery import shared_task

from . import personal


@shared_task(name="feedback.erase_expired_personal_data")
def erase_expired_personal_data_task() -> int:
    """Erase the personal data of opinions closed longer ago than the retention period; how many.
    Running it again erases nothing more."""
    return len(personal.erase_expired())
