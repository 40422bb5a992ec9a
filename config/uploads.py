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


# The largest request a form may send: the largest file (a scan) and the form's other fields.
# The proxy in front of the app should refuse larger bodies itself (README, "Deployment").
REQUEST_MAX_MB = SCAN_MAX_MB + 1


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than any form accepts, before it is read.

    Without this, Django reads a whole upload (to memory, then to a temporary file) before any
    form can look at its size. The sizes the forms check (a scan's 20 MB, an import's 5 MB) are
    still checked there, with the message next to the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from config.parsing import as_id

        length = as_id(request.META.get("CONTENT_LENGTH")) or 0
        if length > REQUEST_MAX_MB * 1024 * 1024:
            from django.shortcuts import render

            return render(
                request,
                "413.html",
                {"size": number_format(length / 1024 / 1024, 1), "limit": REQUEST_MAX_MB},
                status=413,
            )
        return self.get_response(request)
