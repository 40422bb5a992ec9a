"""The opinion list as a spreadsheet: every column a report writer needs, one row per opinion."""

import datetime

import tablib
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.exports import neutralise

from .models import EventKind, OpinionEvent
from .personal import person

# A list anyone reads stops well before this; the user narrows the filter instead.
MAX_EXPORT_ROWS = 50_000

HEADERS = (
    _("No."),
    _("Opinion code"),
    _("Session date"),
    _("Session topic"),
    _("Host unit"),
    _("Level"),
    _("Residents of"),
    _("Hamlet"),
    _("Raised by"),
    _("Phone"),
    _("Address"),
    _("Field"),
    _("Kind"),
    _("Content"),
    _("Status"),
    _("Answer at the session"),
    _("Answered by"),
    _("Responsible agency"),
    _("Forwarded on"),
    _("Deadline"),
    _("Overdue"),
    _("Latest note"),
    _("Latest note on"),
    _("Answer"),
    _("Answering document number"),
    _("Answering document date"),
    _("Why it cannot be resolved"),
    _("Duplicate of"),
    _("Closed on"),
    _("Link"),
)

# Timeline entries whose text is a note of their own; the others repeat a column of the row
# (the answer, the reason, the original of a duplicate).
NOTE_KINDS = (
    EventKind.FORWARDED,
    EventKind.REFORWARDED,
    EventKind.PROGRESS,
    EventKind.DEADLINE,
    EventKind.REOPENED,
)


def _date(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


def with_latest_note(queryset):
    """Each opinion's latest timeline note and its time, read in the same query as the rows."""
    notes = (
        OpinionEvent.objects.filter(opinion=OuterRef("pk"), kind__in=NOTE_KINDS)
        .exclude(text="")
        .order_by("-at", "-pk")
    )
    return queryset.annotate(
        latest_note=Subquery(notes.values("text")[:1]),
        latest_note_at=Subquery(notes.values("at")[:1]),
    )


def _row(number, opinion, base_url, yes, no, who):
    session = opinion.session
    cells = [
        number,
        opinion.code,
        _date(session.starts_at),
        session.topic,
        session.host_unit.full_name,
        str(session.get_level_display()),
        opinion.unit.full_name,
        opinion.hamlet.name if opinion.hamlet_id else "",
        who.name,
        who.phone,
        who.address,
        opinion.field.name,
        str(opinion.get_kind_display()),
        opinion.content,
        str(opinion.get_status_display()),
        opinion.session_answer,
        opinion.answered_by,
        opinion.agency.name if opinion.agency_id else "",
        _date(opinion.forwarded_at),
        _date(opinion.deadline),
        yes if opinion.is_overdue else no,
        opinion.latest_note or "",
        _date(opinion.latest_note_at),
        opinion.answer,
        opinion.answer_document_number,
        _date(opinion.answer_document_date),
        opinion.unresolved_reason,
        opinion.duplicate_code or "",
        _date(opinion.closed_at),
        base_url + opinion.get_absolute_url(),
    ]
    return [neutralise(cell) for cell in cells]


def opinion_dataset(
    queryset, *, base_url: str = "", user=None, personal: bool = False
) -> tuple[tablib.Dataset, list[int]]:
    """One row per opinion, by session date then as recorded, in a fixed number of queries, and
    the ids of the rows that carry the person's data as recorded.

    The person's name, phone and address are masked unless `personal` (the user ticked the box
    and gave a purpose) and the user has the right for that row (feedback/personal.py); the
    caller logs the ids. `base_url` ("https://host") makes the links absolute, so they work from
    a downloaded file.
    """
    opinions = (
        with_latest_note(queryset.for_list())
        .annotate(duplicate_code=F("duplicate_of__code"))
        .order_by("session__starts_at", "pk")
    )
    dataset = tablib.Dataset(headers=[str(header) for header in HEADERS])
    dataset.title = str(_("Opinions"))
    yes, no = gettext("Yes"), gettext("No")
    shown = []
    for number, opinion in enumerate(opinions.iterator(chunk_size=2000), start=1):
        who = person(user, opinion, asked=personal)
        if who.shown and personal:
            shown.append(opinion.pk)
        elif who.shown:
            who = person(None, opinion)
        dataset.append(_row(number, opinion, base_url, yes, no, who))
    return dataset, shown
