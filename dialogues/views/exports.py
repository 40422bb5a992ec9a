"""The filtered session list as a spreadsheet, and the printable notice to residents."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accounts.access import allow
from communes.models import KIND_PREFIX, UnitKind
from config.exports import XLSX, attachment, export_or_back

from ..access import READERS
from ..exports import MAX_EXPORT_ROWS, session_dataset
from ..filters import SessionFilter
from ..models import SessionStatus
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


# The Party committee of a unit, by the unit's kind, as the notice's letterhead names it.
PARTY_COMMITTEE = {
    UnitKind.PROVINCE: gettext_lazy("Provincial Party committee"),
    UnitKind.CITY: gettext_lazy("City Party committee"),
    UnitKind.DISTRICT: gettext_lazy("District Party committee"),
    UnitKind.URBAN_DISTRICT: gettext_lazy("Urban district Party committee"),
    UnitKind.TOWNSHIP: gettext_lazy("Town Party committee"),
    UnitKind.PROVINCIAL_CITY: gettext_lazy("City Party committee"),
}


def _in_sentence(unit) -> str:
    """A unit's name as it reads inside a sentence: "xã Dũng Nghĩa", not "Xã Dũng Nghĩa"."""
    return f"{str(KIND_PREFIX[unit.kind]).lower()} {unit.name}"


def _official_date(day) -> dict:
    """Day and month as official documents write them: a zero before days 1–9 and months 1–2."""
    return {
        "day": f"{day.day:02d}" if day.day < 10 else str(day.day),
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": str(day.year),
    }


@allow(*READERS)
@require_safe
def session_notice(request, pk):
    """The notice (Thông báo) inviting residents to a session, laid out to be printed."""
    session = session_for(request.user, pk)
    host = session.host_unit
    attending = list(session.attending_units.all())
    chairs = [
        {"name": chair.person.full_name, "position": chair.position.name,
         "unit": _in_sentence(chair.unit)}
        for chair in session.chairs.select_related("person", "position", "unit")
    ]  # fmt: skip
    postponement = None
    if session.status == SessionStatus.POSTPONED:
        postponement = session.postponements.order_by("-created_at").first()
    committee = PARTY_COMMITTEE.get(host.kind, gettext_lazy("Party committee"))
    letterhead = _("%(party)s – People's Committee") % {"party": committee}
    context = {
        "session": session,
        "plan": session.plan,
        "starts": timezone.localtime(session.starts_at),
        "ends": timezone.localtime(session.ends_at),
        "letterhead": letterhead,
        "issuer": f"{letterhead} {_in_sentence(host)}",
        "notice_date": _official_date(session.notice_date) if session.notice_date else None,
        "residents": ", ".join(_in_sentence(unit) for unit in attending),
        "chairs": chairs,
        "signatory": chairs[0] if chairs else None,
        "postponement": postponement,
        "is_cancelled": session.status == SessionStatus.CANCELLED,
        "is_postponed": session.status == SessionStatus.POSTPONED,
    }
    return render(request, "dialogues/session_notice.html", context)
