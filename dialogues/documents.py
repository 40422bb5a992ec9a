"""Party-style document numbers: `<number>-<type>/<issuer>`, e.g. 55-KH/HU, 217-QĐ/TW."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Letters include Đ/đ: issuers such as ĐU (Đảng ủy) and types such as QĐ are written with them.
NUMBER_PATTERN = re.compile(
    r"^(?P<number>\d{1,5})-(?P<type>[A-Za-zĐđ]{1,5})/(?P<issuer>[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*)$"
)


@dataclass(frozen=True)
class DocumentNumber:
    number: str  # as written: "07" stays "07"
    type_code: str
    issuer: str

    def __str__(self):
        return f"{self.number}-{self.type_code}/{self.issuer}"


def parse_document_number(value: str) -> DocumentNumber:
    """Parse and check a number against the managed list of document types."""
    from .models import DocumentType

    value = (value or "").strip()
    match = NUMBER_PATTERN.match(value)
    if not match:
        raise ValidationError(
            _(
                "A document number is written number-type/issuer, for example 55-KH/HU or "
                "830-CV/HU; “%(value)s” is not."
            )
            % {"value": value[:60]},
            code="malformed",
        )
    type_code = match["type"]
    known = list(DocumentType.objects.values_list("code", flat=True))
    if type_code not in known:
        raise ValidationError(
            _("“%(type)s” is not a known document type. Known types: %(known)s.")
            % {"type": type_code, "known": ", ".join(known)},
            code="unknown_type",
        )
    return DocumentNumber(match["number"], type_code, match["issuer"])


def validate_document_number(value: str) -> None:
    parse_document_number(value)


def official_date(day) -> dict:
    """Day and month as official documents write them: a zero before days 1–9 and months 1–2."""
    return {
        "day": f"{day.day:02d}" if day.day < 10 else str(day.day),
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": str(day.year),
    }


# Party documents are numbered from 01 per issuing body and type over the whole term of the
# Party committee, not per year (Hướng dẫn 36-HD/VPTW). The terms' first days: the 2025–2030
# term began with the congresses that followed the reorganisation of 1/7/2025.
TERM_STARTS = (
    datetime.date(2015, 7, 1),
    datetime.date(2020, 7, 1),
    datetime.date(2025, 7, 1),
)


def term_start(day: datetime.date) -> datetime.date:
    return max((start for start in TERM_STARTS if start <= day), default=TERM_STARTS[0])


def term_end(day: datetime.date) -> datetime.date | None:
    """The first day of the next term (None: the term of `day` is the latest known)."""
    return min((start for start in TERM_STARTS if start > day), default=None)


def numbers_in_term(
    *, issuer: str | None, day: datetime.date, unit=None, exclude_document=None, plans=True
):
    """{type code: numbers} already used by `issuer` (of `unit`, when given: every commune's
    Đảng ủy signs …/ĐU) on documents (and plans) issued in the term of `day`; with no issuer,
    {(type code, issuer): numbers} for every issuer. Plans, documents and issued reports."""
    from django.apps import apps

    from .models import Document, Plan

    found = {}
    window = {"issued_on__gte": term_start(day)}
    if issuer is not None:
        window["number__endswith"] = f"/{issuer}"
    if (until := term_end(day)) is not None:
        window["issued_on__lt"] = until
    if unit is not None:
        window["unit"] = unit
    documents = Document.objects.filter(**window)
    if exclude_document is not None and exclude_document.pk:
        documents = documents.exclude(pk=exclude_document.pk)
    # Issued reports (…-BC/…) count too; a draft has no number yet.
    Report = apps.get_model("reports", "Report")
    reports = Report.objects.filter(
        **{key.replace("issued_on", "report_date"): value for key, value in window.items()}
    ).exclude(number="")
    for value in [
        *(Plan.objects.filter(**window).values_list("number", flat=True) if plans else []),
        *documents.values_list("number", flat=True),
        *reports.values_list("number", flat=True),
    ]:
        if not (match := NUMBER_PATTERN.match(value)):
            continue
        if issuer is None:
            found.setdefault((match["type"], match["issuer"]), set()).add(int(match["number"]))
        elif match["issuer"] == issuer:
            found.setdefault(match["type"], set()).add(int(match["number"]))
    return found


def _next(type_code: str, issuer: str, used) -> str:
    return f"{max(used, default=0) + 1:02d}-{type_code}/{issuer}"


def next_free_number(*, type_code: str, issuer: str, day: datetime.date, unit=None) -> str:
    """The next number of this type and issuer in the term of `day`: "15-KH/ĐU" after 14."""
    used = numbers_in_term(issuer=issuer, day=day, unit=unit)
    return _next(type_code, issuer, used.get(type_code, ()))


def next_free_numbers(*, day: datetime.date, unit) -> list[str]:
    """The next free number of every type and issuer the unit has used in the term (its Party
    committee …/TU and its boards …/BTGDVTU alike), by issuer and type."""
    used = numbers_in_term(issuer=None, day=day, unit=unit)
    return [
        _next(code, issuer, used[code, issuer])
        for code, issuer in sorted(used, key=lambda key: (key[1], key[0]))
    ]


def number_taken_error(parsed: DocumentNumber, *, day, unit, exclude_document=None):
    """Why this number cannot be given to another document in its term (naming the next free
    one), or None. Plans are left out: a plan is often recorded as the document another plan
    carries out, under its own number."""
    used = numbers_in_term(
        issuer=parsed.issuer, day=day, unit=unit, exclude_document=exclude_document, plans=False
    ).get(parsed.type_code, set())
    if int(parsed.number) not in used:
        return None
    used |= numbers_in_term(issuer=parsed.issuer, day=day, unit=unit).get(parsed.type_code, set())
    return _(
        "%(number)s is already used in this term of the Party committee (numbers run from 01 "
        "per issuing body and type for the whole term); the next free one is %(next)s."
    ) % {"number": str(parsed), "next": _next(parsed.type_code, parsed.issuer, used)}
