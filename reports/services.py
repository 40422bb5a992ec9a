"""Making report PDFs: the one path used by the worker, the retry and `render_report`."""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.concurrency import lock

from .models import Report, ReportStage, ReportStatus

logger = logging.getLogger(__name__)


def report_queue(*, report: Report) -> None:
    """Send the report to the worker once the current transaction commits.

    When the broker cannot be reached the row stays queued and the periodic job sends it again
    when the broker is back, so nobody has to ask twice.
    """
    from .tasks import render_report

    def send():
        try:
            render_report.delay(report.pk)
        except Exception:  # the broker is down or unreachable
            logger.exception("Report %s could not be queued; it will be requeued later", report.pk)

    transaction.on_commit(send)


def report_generate(*, report_id: int) -> Report | None:
    """Render the report's PDF and store it. Safe to run twice: a finished report is left alone."""
    from .pdf import report_render_pdf

    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        # Only an issued report has a PDF made by the worker; a draft's is made on request.
        if report is None or report.status == ReportStatus.READY or report.is_draft:
            return report
        report.status = ReportStatus.RENDERING
        report.started_at = timezone.now()
        report.attempts += 1
        report.error = ""
        report.save(update_fields=["status", "started_at", "attempts", "error"])
    # Nothing in making a report is the user's to correct (the form checked the request): any
    # error is retried by the task and, after the last retry, told as a generic message.
    try:
        pdf = report_render_pdf(report=report)
    except Exception:
        logger.exception("Report %s failed to render", report.pk)
        raise
    report.file.save(f"{report.pk}.pdf", ContentFile(pdf), save=False)
    report.status = ReportStatus.READY
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "status", "finished_at"])
    return report


def report_give_up(*, report_id: int) -> None:
    """After the last retry: tell the user something went wrong, without the technical detail."""
    report = Report.objects.filter(pk=report_id).first()
    if report is not None and report.status != ReportStatus.READY:
        _fail(report, _("The report could not be made. Try again; if it fails again, tell IT."))


def _fail(report, message):
    report.status = ReportStatus.FAILED
    report.error = message
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "error", "finished_at"])
    return report


@transaction.atomic
def report_retry(*, report: Report) -> Report | None:
    """Queue a failed report again. Two clicks at once queue it once: the second finds it waiting
    and gets None."""
    lock(report)
    if report.status != ReportStatus.FAILED:
        return None
    report.status = ReportStatus.QUEUED
    report.error = ""
    report.queued_at = timezone.now()
    report.started_at = report.finished_at = None
    report.save(update_fields=["status", "error", "queued_at", "started_at", "finished_at"])
    report_queue(report=report)
    return report


@transaction.atomic
def reports_requeue_stuck(*, older_than, rendering_for=None) -> int:
    """Send again the reports left waiting (queued while the broker was down, or a lost worker).

    Locked rows are skipped (a worker is starting on them), and a row a worker began rendering
    since it was read no longer matches once locked, so a live render is not sent twice.
    """
    count = 0
    stuck = Report.objects.stuck(older_than, rendering_for).select_for_update(skip_locked=True)
    for report in stuck:
        report.status = ReportStatus.QUEUED
        report.queued_at = timezone.now()
        report.save(update_fields=["status", "queued_at"])
        report_queue(report=report)
        count += 1
    return count


# --- the report's life as a document (reports/workflow.py) -------------------------------------

ISSUE_FIELDS = (
    "number", "report_date", "place", "signing", "signer_authority", "signer_title",
    "signer_name", "recipients",
)  # fmt: skip


def report_issue(*, report: Report, data: dict, by) -> Report:
    """Give the draft its number, date and signer, store what it says, and have its PDF made.

    Call inside `transaction.atomic` with the row locked. A number another report of the same
    body took meanwhile (the form checked it, but two can be issued at once) is refused by the
    database constraint and told next to the number, nothing saved.
    """
    from .document import document_for
    from .forms import issuer_of, number_taken_message
    from .pdf import letterhead_for
    from .workflow import REPORT_WORKFLOW

    REPORT_WORKFLOW.require(report.stage, "issue")
    letterhead = letterhead_for(report.unit)
    for name in ISSUE_FIELDS:
        setattr(report, name, data[name])
    report.issuer = issuer_of(letterhead)
    report.stage = ReportStage.ISSUED
    report.content = None
    # The document is built once, now, and stored: from here on it is only laid out again.
    report.content = document_for(report).as_data()
    report.issued_at = timezone.now()
    report.issued_by = by
    report.status = ReportStatus.QUEUED
    report.queued_at = timezone.now()
    report.revision += 1
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError({"number": number_taken_message(report.number)}) from None
    report_queue(report=report)
    return report


def report_attach_signed(*, report: Report, upload) -> Report:
    """Keep the signed copy exactly as it was uploaded. Call inside `transaction.atomic`, locked."""
    from .workflow import REPORT_WORKFLOW

    REPORT_WORKFLOW.require(report.stage, "attach")
    report.signed_file.save(upload.name, upload, save=False)
    report.signed_at = timezone.now()
    report.stage = ReportStage.SIGNED
    report.revision += 1
    report.save(update_fields=["signed_file", "signed_at", "stage", "revision"])
    return report


@transaction.atomic
def report_correct(*, report: Report, by) -> Report:
    """A new draft for the same unit and period that replaces this issued report, starting from
    its words. Two clicks at once make one correction: the second gets the first one's draft."""
    from .workflow import REPORT_WORKFLOW

    lock(report)
    REPORT_WORKFLOW.require(report.stage, "correct")
    existing = report.corrections.order_by("pk").first()
    if existing is not None:
        return existing
    copied = ("opening", "summary", "strengths", "shortcomings", "tasks", "proposals")
    return Report.objects.create(
        unit=report.unit, period_kind=report.period_kind, year=report.year,
        quarter=report.quarter, start=report.start, end=report.end, replaces=report,
        requested_by=by, **{name: getattr(report, name) for name in copied},
    )  # fmt: skip
