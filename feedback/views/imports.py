"""Opinions of a held session imported from the Excel template, and the template itself."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import allow
from config.exports import XLSX
from dialogues.models import SessionStatus
from dialogues.selectors import session_for

from ..access import RECORDERS
from ..imports import MAX_BYTES, MAX_ROWS, OpinionImportForm, opinions_import, template_xlsx

# Beyond this the page would be unreadable; the count still says how many there are.
ERRORS_SHOWN = 300


@allow(*RECORDERS)
@require_http_methods(["GET", "HEAD", "POST"])
def opinion_import(request, pk):
    session = session_for(request.user, pk, to_change=True)
    held = session.status == SessionStatus.HELD
    if request.method == "POST" and not held:
        messages.error(request, _("Opinions can only be entered for a session that was held."))
        return redirect("feedback:opinion-import", pk=session.pk)
    form = OpinionImportForm(request.POST or None, request.FILES or None, session=session)
    context = {
        "session": session,
        "held": held,
        "form": form,
        "max_rows": number_format(MAX_ROWS, force_grouping=True),
        "max_mb": MAX_BYTES // 1024 // 1024,
    }
    if request.method == "POST" and form.is_valid():
        result = form.result
        if not result.errors:
            count = opinions_import(session=session, by=request.user, rows=result.rows)
            messages.success(
                request,
                ngettext(
                    "%(count)s opinion was imported.", "%(count)s opinions were imported.", count
                )
                % {"count": count},
            )
            return redirect(reverse("feedback:session-opinions", args=[session.pk]))
        context.update(
            file_name=form.cleaned_data["file"].name,
            errors=result.errors[:ERRORS_SHOWN],
            error_count=len(result.errors),
            rows_with_errors=len({error.row for error in result.errors}),
        )
    return render(request, "feedback/opinion_import.html", context)


@allow(*RECORDERS)
@require_safe
def opinion_import_template(request):
    """The template; with ?session= its lists are those of that session (hamlets, agencies)."""
    session = None
    session_pk = request.GET.get("session", "")
    if session_pk.isascii() and session_pk.isdigit() and len(session_pk) < 10:
        session = session_for(request.user, session_pk)
    body = template_xlsx(user=request.user, session=session)
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-y-kien.xlsx"'
    return response
