"""Asking for a report, waiting for it without JavaScript, getting the PDF or the DOCX; session
PDFs."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import allow
from communes.models import AdministrativeUnit
from config.parsing import as_id
from dialogues.access import READERS as SESSION_READERS
from dialogues.selectors import session_for

from .access import READERS, REQUESTERS
from .docx import report_render_docx
from .forms import ReportRequestForm
from .models import Report, ReportStatus
from .pdf import session_minutes_pdf, session_notice_pdf
from .services import report_queue, report_retry

REPORTS_PER_PAGE = 20
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The waiting page asks again every few seconds (a meta refresh: no JavaScript needed).
REFRESH_SECONDS = 3


def report_filename(report) -> str:
    """The downloaded file's name, without its extension: the same for the PDF and the DOCX."""
    return f"bao-cao-{report.number.replace('/', '-')}-{report.start:%Y%m%d}"


def _report_for(user, pk) -> Report:
    return get_object_or_404(Report.objects.visible_to(user).select_related("unit"), pk=pk)


@allow(*READERS)
@require_safe
def report_list(request):
    reports = Report.objects.visible_to(request.user).select_related("unit", "requested_by")
    page = Paginator(reports.order_by("-queued_at", "-pk"), REPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "can_request": request.user.role in REQUESTERS}
    return render(request, "reports/report_list.html", context)


@allow(*REQUESTERS, readers_may_post=True)
def report_create(request):
    """Asking for a report changes no record, so leaders may do it too."""
    units = AdministrativeUnit.objects.visible_to(request.user).active()
    if request.method == "POST":
        form = ReportRequestForm(request.POST, user=request.user)
        if form.is_valid():
            report = form.save(commit=False)
            report.requested_by = request.user
            report.save()
            report_queue(report=report)
            return redirect(f"{report.get_absolute_url()}?wait=1")
    else:
        chosen = request.GET.get("unit", "")
        unit = units.filter(pk=as_id(chosen)).first() if as_id(chosen) is not None else None
        unit = unit or (request.user.unit if request.user.unit_id else units.first())
        if unit is None:
            raise Http404
        form = ReportRequestForm(user=request.user, initial=ReportRequestForm.initial_for(unit))
    return render(request, "reports/report_form.html", {"form": form, "units": units})


@allow(*READERS)
@require_safe
def report_detail(request, pk):
    report = _report_for(request.user, pk)
    waiting = "wait" in request.GET
    if waiting and report.status == ReportStatus.READY:
        return redirect("reports:report-download", pk=report.pk)
    context = {
        "report": report,
        "refresh": REFRESH_SECONDS if not report.is_finished else None,
        "refresh_url": f"{reverse('reports:report-detail', args=[report.pk])}?wait=1",
        "can_retry": request.user.role in REQUESTERS and report.status == ReportStatus.FAILED,
    }
    return render(request, "reports/report_detail.html", context)


@allow(*READERS)
@require_safe
def report_download(request, pk):
    report = _report_for(request.user, pk)
    if report.status != ReportStatus.READY or not report.file:
        return redirect(report)
    filename = f"{report_filename(report)}.pdf"
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=filename)


@allow(*READERS)
@require_safe
def report_download_docx(request, pk):
    """The ready report as a Word file, made on request (it takes well under a second)."""
    report = _report_for(request.user, pk)
    if report.status != ReportStatus.READY:
        return redirect(report)
    return HttpResponse(
        report_render_docx(report=report),
        content_type=DOCX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{report_filename(report)}.docx"'},
    )


@allow(*REQUESTERS, readers_may_post=True)
@require_POST
def report_retry_view(request, pk):
    report = _report_for(request.user, pk)
    if report_retry(report=report) is None:
        messages.info(request, _("Only a report that failed can be tried again."))
        return redirect(report)
    return redirect(f"{report.get_absolute_url()}?wait=1")


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@allow(*SESSION_READERS)
@require_safe
def session_minutes(request, pk):
    """The minutes (Biên bản) of one session with its opinions, made on the spot: it is short."""
    session = session_for(request.user, pk)
    return _pdf_response(session_minutes_pdf(session=session), f"bien-ban-{session.pk}.pdf")


@allow(*SESSION_READERS)
@require_safe
def session_notice(request, pk):
    session = session_for(request.user, pk)
    return _pdf_response(session_notice_pdf(session=session), f"thong-bao-{session.pk}.pdf")
