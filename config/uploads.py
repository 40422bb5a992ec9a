"""Checks for uploaded scans: size and real type (by content, not by the file name)."""

import os

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

SCAN_MAX_MB = 20
# What a real file of each accepted kind starts with; the name alone proves nothing.
SCAN_SIGNATURES = {
    "pdf": ("PDF", b"%PDF-"),
    "jpg": ("JPEG", b"\xff\xd8\xff"),
    "jpeg": ("JPEG", b"\xff\xd8\xff"),
    "png": ("PNG", b"\x89PNG\r\n\x1a\n"),
}


def validate_scan(upload) -> None:
    """A scanned document: PDF, JPEG or PNG by its content, at most SCAN_MAX_MB."""
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    if extension not in SCAN_SIGNATURES:
        raise ValidationError(
            _("Upload the scan as a PDF, JPEG or PNG file."), code="scan_extension"
        )
    if upload.size > SCAN_MAX_MB * 1024 * 1024:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": number_format(upload.size / 1024 / 1024, 1), "limit": SCAN_MAX_MB},
            code="scan_size",
        )
    kind, signature = SCAN_SIGNATURES[extension]
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    # PDF readers accept a little junk before the header; images must start with theirs.
    found = signature in head if kind == "PDF" else head.startswith(signature)
    if not found:
        raise ValidationError(
            _(
                "The file is named .%(extension)s but its content is not a %(kind)s file. "
                "Scan the document again or save it as PDF, JPEG or PNG."
            )
            % {"extension": extension, "kind": kind},
            code="scan_content",
        )
