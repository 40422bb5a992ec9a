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


def next_free_number(*, type_code: str, issuer: str, day: datetime.date) -> str:
    """The next number of this type and issuer in the term of `day`: "15-KH/ĐU" after 14.

    Plans, documents and issued reports (…-BC/…) all count.
    """
    from django.apps import apps

    from .models import Document, Plan

    Report = apps.get_model("reports", "Report")

    suffix = f"-{type_code}/{issuer}"
    since = term_start(day)
    used = [
        *Plan.objects.filter(number__endswith=suffix, issued_on__gte=since).values_list(
            "number", flat=True
        ),
        *Document.objects.filter(number__endswith=suffix, issued_on__gte=since).values_list(
            "number", flat=True
        ),
        *Report.objects.filter(number__endswith=suffix, report_date__gte=since).values_list(
            "number", flat=True
        ),
    ]
    numbers = [int(match["number"]) for n in used if (match := NUMBER_PATTERN.match(n))]
    return f"{max(numbers, default=0) + 1:02d}{suffix}"
