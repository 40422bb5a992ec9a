"""Party-style document numbers: `<number>-<type>/<issuer>`, e.g. 55-KH/HU, 217-QĐ/TW."""

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
