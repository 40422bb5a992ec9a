"""Thin Celery tasks: load the row, call the service. Redelivery does no harm (idempotent)."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from .services import report_generate, report_give_up, reports_requeue_stuck

# Errors worth another try after a pause: the database or the broker blinked.
TRANSIENT = (DatabaseError, ConnectionError, TimeoutError, OSError)


@shared_task(
    bind=True,
    name="reports.render_report",
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def render_report(self, report_id: int):
    try:
        report_generate(report_id=report_id)
    except TRANSIENT:
        if self.request.retries >= self.max_retries:
            report_give_up(report_id=report_id)
        raise
    except Exception:
        report_give_up(report_id=report_id)
        raise


@shared_task(name="reports.requeue_stuck_reports")
def requeue_stuck_reports():
    return reports_requeue_stuck(
        older_than=datetime.timedelta(seconds=settings.REPORT_REQUEUE_AFTER_SECONDS),
        rendering_for=datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT),
    )
