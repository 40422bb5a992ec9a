"""A report's life on the web: asking for a draft (shown at once, no worker), editing its words
beside the figures, issuing it (its PDF made by the worker from the stored content), attaching
the signed copy; the archive; the letterheads; session PDFs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import allow
from communes.models import AdministrativeUnit
from communes.scope import changeable
from config.concurrency import changed_since, lock
from config.parsing import as_id
from dialogues.access import READERS as SESSION_READERS
from dialogues.selectors import session_for

from .access import EDITORS, READERS, REQUESTERS
from .document import document_for, generated_paragraphs
from .docx import report_render_docx
from .forms import (
    LetterheadForm,
    ReportIssueForm,
    ReportNarrativeForm,
    ReportRequestForm,
    SignedCopyForm,
)
from .models import Letterhead, Report, ReportStage, ReportStatus
from .pdf import (
    laid_out_blocks,
    letterhead_for,
    report_render_pdf,
    session_minutes_pdf,
    session_notice_pdf,
)
from .services import report_attach_signed, report_correct, report_issue, report_retry
from .workflow import REPORT_WORKFLOW

REPORTS_PER_PAGE = 20
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The page of an issued report asks again every few seconds while its PDF is being made (a meta
# refresh: no JavaScript needed).
REFRESH_SECONDS = 3


def report_filename(report) -> str:
    """The downloaded file's name, without its extension: the same for the PDF and the DOCX."""
    if report.is_draft:
        return f"du-thao-bao-cao-{report.unit.code}-{report.start:%Y%m%d}-{report.end:%Y%m%d}"
    return f"bao-cao-{report.number.replace('/', '-')}-{report.start:%Y%m%d}"


def _report_for(user, pk, *, to_change=False) -> Report:
    report = get_object_or_404(
        Report.objects.visible_to(user).select_related("unit", "replaces"), pk=pk
    )
    if to_change and not changeable(user, report.unit):
        raise PermissionDenied("history of a unit that has ended is read only")
    return report


def _role(user):
    from accounts.models import Role

    return Role.ADMINISTRATOR if user.is_superuser else user.role


@allow(*READERS)
@require_safe
def report_list(request):
    """The archive: drafts, issued and signed reports, filtered by stage and unit."""
    reports = Report.objects.visible_to(request.user).select_related("unit", "requested_by")
    stage = request.GET.get("stage", "")
    if stage in ReportStage.values:
        reports = reports.filter(stage=stage)
    units = AdministrativeUnit.objects.visible_to(request.user).filter(
        pk__in=Report.objects.visible_to(request.user).values("unit")
    )
    unit = as_id(request.GET.get("unit"))
    if unit is not None:
        reports = reports.filter(unit_id=unit)
    page = Paginator(reports.order_by("-queued_at", "-pk"), REPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "can_request": _role(request.user) in REQUESTERS,
        "can_edit_letterhead": _role(request.user) in EDITORS and request.user.unit_id,
        "stages": ReportStage.choices,
        "stage": stage,
        "units": units.order_by("path"),
        "unit": unit,
        "query": request.GET.copy(),
    }
    return render(request, "reports/report_list.html", context)


@allow(*REQUESTERS, readers_may_post=True)
def report_create(request):
    """A draft at once: a unit and a period, nothing else. It changes no record, so leaders too."""
    units = AdministrativeUnit.objects.visible_to(request.user).active()
    if request.method == "POST":
        form = ReportRequestForm(request.POST, user=request.user)
        if form.is_valid():
            report = form.save(commit=False)
            report.requested_by = request.user
            report.save()
            return redirect(report)
    else:
        chosen = request.GET.get("unit", "")
        unit = units.filter(pk=as_id(chosen)).first() if as_id(chosen) is not None else None
        unit = unit or (request.user.unit if request.user.unit_id else units.first())
        if unit is None:
            raise Http404
        form = ReportRequestForm(user=request.user, initial=ReportRequestForm.initial_for(unit))
    return render(request, "reports/report_form.html", {"form": form, "units": units})


def _may_edit(user, report) -> bool:
    return _role(user) in EDITORS and changeable(user, report.unit)


def _detail(request, report, *, narrative_form=None, status=200):
    document = document_for(report)
    editable = _may_edit(request.user, report)
    if narrative_form is None and report.is_draft and editable:
        narrative_form = ReportNarrativeForm(
            instance=report, generated=generated_paragraphs(report, document.figures)
        )
    waiting = not report.is_draft and report.status in (ReportStatus.QUEUED, ReportStatus.RENDERING)
    context = {
        "report": report,
        "document": document,
        "blocks": laid_out_blocks(document, font_family="serif", width_mm=150),
        "narrative_form": narrative_form if report.is_draft and editable else None,
        "steps": [
            step
            for step in REPORT_WORKFLOW.offered(report, _role(request.user))
            if step.name != "edit" and editable
        ],
        "refresh": REFRESH_SECONDS if waiting else None,
        "can_retry": editable and not report.is_draft and report.pdf_failed,
        "replaced_by": None if report.is_draft else report.replaced_by,
        "corrections": report.corrections.all(),
    }
    return render(request, "reports/report_detail.html", context, status=status)


@allow(*READERS)
@require_safe
def report_detail(request, pk):
    return _detail(request, _report_for(request.user, pk))


@allow(*REPORT_WORKFLOW.roles("edit"))
@require_POST
def report_edit(request, pk):
    """Save the draft's words; as often as the staff like. Someone else's save in between is
    shown, not overwritten."""
    report = _report_for(request.user, pk, to_change=True)
    with transaction.atomic():
        lock(report)  # a second save waits here, then sees the first one's revision
        if not REPORT_WORKFLOW.allows(report.stage, "edit"):
            messages.error(request, _("An issued report cannot be changed; correct it instead."))
            return redirect(report)
        generated = generated_paragraphs(report)
        seen = request.POST.get("seen", "")
        if changed_since(seen, report.revision):
            data = request.POST.copy()
            data["seen"] = str(report.revision)  # saving again after reading goes through
            form = ReportNarrativeForm(data, instance=report, generated=generated)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else saved this draft after you opened it. Your text is kept "
                    "below; the document shows their version. Save again to keep yours."
                ),
            )
            report.refresh_from_db()
            return _detail(request, report, narrative_form=form, status=409)
        form = ReportNarrativeForm(request.POST, instance=report, generated=generated)
        if form.is_valid():
            report = form.save(commit=False)
            report.revision += 1
            report.save()
            messages.success(request, _("The draft has been saved."))
            return redirect(f"{report.get_absolute_url()}#document")
    report.refresh_from_db()
    return _detail(request, report, narrative_form=form)


@allow(*REPORT_WORKFLOW.roles("issue"))
def report_issue_view(request, pk):
    report = _report_for(request.user, pk, to_change=True)
    if not REPORT_WORKFLOW.allows(report.stage, "issue"):
        messages.info(request, _("This report has already been issued."))
        return redirect(report)
    letterhead = letterhead_for(report.unit)
    if request.method == "POST":
        with transaction.atomic():
            lock(report)
            form = ReportIssueForm(request.POST, instance=report, letterhead=letterhead)
            if changed_since(request.POST.get("seen", ""), report.revision) or not (
                REPORT_WORKFLOW.allows(report.stage, "issue")
            ):
                messages.error(
                    request,
                    _("The report changed after you opened this page: check it, then issue it."),
                )
                return redirect(report)
            if form.is_valid():
                try:
                    report_issue(report=report, data=form.cleaned_data, by=request.user)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        _("Report %(number)s has been issued; its PDF is being made.")
                        % {"number": report.number},
                    )
                    return redirect(report)
    else:
        form = ReportIssueForm(instance=report, letterhead=letterhead)
    return render(request, "reports/report_issue.html", {"report": report, "form": form})


@allow(*REPORT_WORKFLOW.roles("attach"))
def report_attach(request, pk):
    report = _report_for(request.user, pk, to_change=True)
    if not REPORT_WORKFLOW.allows(report.stage, "attach"):
        messages.info(request, _("A signed copy is attached to an issued report, once."))
        return redirect(report)
    if request.method == "POST":
        form = SignedCopyForm(request.POST, request.FILES, instance=report)
        if form.is_valid():
            with transaction.atomic():
                lock(report)
                if REPORT_WORKFLOW.allows(report.stage, "attach"):
                    report_attach_signed(report=report, upload=form.cleaned_data["signed_file"])
                    messages.success(request, _("The signed copy has been attached."))
                else:
                    messages.info(request, _("Someone attached the signed copy meanwhile."))
            return redirect(report)
    else:
        form = SignedCopyForm(instance=report)
    return render(request, "reports/report_attach.html", {"report": report, "form": form})


@allow(*REPORT_WORKFLOW.roles("correct"))
@require_POST
def report_correct_view(request, pk):
    report = _report_for(request.user, pk, to_change=True)
    if not REPORT_WORKFLOW.allows(report.stage, "correct"):
        messages.info(request, _("Only an issued report is corrected; edit the draft instead."))
        return redirect(report)
    correction = report_correct(report=report, by=request.user)
    messages.success(
        request,
        _("A new draft replacing report %(number)s has been made.") % {"number": report.number},
    )
    return redirect(correction)


@allow(*READERS)
@require_safe
def report_download(request, pk):
    """The PDF: a draft's made now from the records; an issued report's as the worker made it."""
    report = _report_for(request.user, pk)
    if report.is_draft:
        response = _pdf_response(report_render_pdf(report=report), "")
        response["Content-Disposition"] = f'attachment; filename="{report_filename(report)}.pdf"'
        return response
    if not report.has_pdf:
        return redirect(report)
    filename = f"{report_filename(report)}.pdf"
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=filename)


@allow(*READERS)
@require_safe
def report_download_docx(request, pk):
    """The report as a Word file, made on request (it takes well under a second)."""
    report = _report_for(request.user, pk)
    return HttpResponse(
        report_render_docx(report=report),
        content_type=DOCX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{report_filename(report)}.docx"'},
    )


@allow(*READERS)
@require_safe
def report_signed_copy(request, pk):
    """The signed copy, byte for byte as it was attached."""
    report = _report_for(request.user, pk)
    if not report.signed_file:
        raise Http404
    extension = report.signed_file.name.rsplit(".", 1)[-1]
    return FileResponse(
        report.signed_file.open("rb"),
        as_attachment=True,
        filename=f"{report_filename(report)}-ban-ky.{extension}",
    )


@allow(*EDITORS)
@require_POST
def report_retry_view(request, pk):
    report = _report_for(request.user, pk, to_change=True)
    if report_retry(report=report) is None:
        messages.info(request, _("Only a report that failed can be tried again."))
    return redirect(report)


@allow(*EDITORS)
def letterhead_edit(request, unit_pk):
    """The letterhead of a unit the user may change: its header, place, signature, recipients."""
    unit = get_object_or_404(AdministrativeUnit.objects.visible_to(request.user), pk=unit_pk)
    if not changeable(request.user, unit):
        raise PermissionDenied("history of a unit that has ended is read only")
    letterhead = Letterhead.objects.filter(unit=unit).first()
    if letterhead is None:
        # Starts from what its reports print today (its own, or the generated one).
        shown = letterhead_for(unit)
        letterhead = Letterhead(
            unit=unit, **{name: getattr(shown, name) for name in LetterheadForm.Meta.fields}
        )
    if request.method == "POST":
        form = LetterheadForm(request.POST, instance=letterhead)
        if form.is_valid():
            form.save()
            messages.success(request, _("The letterhead has been saved."))
            return redirect(reverse("reports:letterhead", args=[unit.pk]))
    else:
        form = LetterheadForm(instance=letterhead)
    units = AdministrativeUnit.objects.visible_to(request.user).active().order_by("path")
    context = {"form": form, "unit": unit, "units": units[:200]}
    return render(request, "reports/letterhead_form.html", context)


@allow(*EDITORS)
@require_safe
def letterhead_mine(request):
    """The letterhead of the unit chosen (?unit=), else of the user's own unit."""
    unit = as_id(request.GET.get("unit")) or request.user.unit_id
    if not unit:
        raise Http404
    return redirect("reports:letterhead", unit_pk=unit)


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
