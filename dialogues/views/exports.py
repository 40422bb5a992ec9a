"""The filtered session list as a spreadsheet, and the printable notice to residents."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import allow
from config.exports import XLSX, attachment, export_or_back

from ..access import READERS
from ..exports import MAX_EXPORT_ROWS, session_dataset
from ..filters import SessionFilter
from ..notice import session_notice_context
from ..selectors import session_for


def _export(request, fmt):
    """Sessions as the list shows them with the same filter, or back to the list to fix it."""
    sessions, refused = export_or_back(
        request,
        SessionFilter(request.GET, user=request.user),
        list_url=reverse("dialogues:session-list"),
        max_rows=MAX_EXPORT_ROWS,
        invalid_message=_("The sessions were not exported: correct the filter first. %(errors)s"),
        too_many_message=_(
            "%(count)s sessions match the filter; an export holds at most %(max)s. "
            "Narrow the filter, for example to a shorter period or one unit."
        ),
    )
    if refused:
        return refused
    dataset = session_dataset(sessions, base_url=request.build_absolute_uri("/").rstrip("/"))
    if fmt == "xlsx":
        body, content_type = dataset.export("xlsx"), XLSX
    else:
        # The byte order mark tells Excel the file is UTF-8, so diacritics open intact.
        body, content_type = ("\ufeff" + dataset.export("csv")).encode(), "text/csv; charset=utf-8"
    filename = f"hoi-nghi-tiep-xuc-{timezone.localdate():%Y-%m-%d}.{fmt}"
    return attachment(body, content_type=content_type, filename=filename)


@allow(*READERS)
@require_safe
def session_export_xlsx(request):
    return _export(request, "xlsx")


@allow(*READERS)
@require_safe
def session_export_csv(request):
    return _export(request, "csv")


@allow(*READERS)
@require_safe
def session_notice(request, pk):
    """The notice (Thông báo) inviting residents to a session, laid out to be printed."""
    session = session_for(request.user, pk)
    context = session_notice_context(session)
    return render(request, "dialogues/session_notice.html", context)
