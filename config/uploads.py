"""Checks for uploaded scans: size and real type (by content, not by the file name)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_SCAN_BYTES = 20 * 1024 * 1024
# The first bytes of each accepted format.
SIGNATURES = {
    b"%PDF-": "pdf",
    b"\xff\xd8\xff": "jpeg",
    b"\x89PNG\r\n\x1a\n": "png",
}


def validate_scan(upload) -> None:
    """Accept a PDF, JPEG or PNG of at most 20 MB; say clearly what is wrong otherwise."""
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(max)s MB is accepted.")
            % {"size": round(upload.size / 1024 / 1024, 1), "max": MAX_SCAN_BYTES // 1024 // 1024},
            code="too_large",
        )
    position = upload.tell()
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if not any(head.startswith(signature) for signature in SIGNATURES):
        raise ValidationError(
            _("Only scans in PDF, JPEG or PNG are accepted; this file is none of them."),
            code="bad_type",
        )
