"""What every spreadsheet export shares: the user's filter, a row cap, safe cells, the file."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from .text import exportable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text a spreadsheet will show as typed, never evaluate: `=HYPERLINK(…)` stays text.

    Characters a spreadsheet cannot hold (control characters, stored before forms refused
    them) are dropped, so one row cannot break the export for everybody.
    """
    value = exportable(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def as_typed(text: str) -> str:
    """The text `neutralise` was given, read back from a file we wrote (the import template)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def export_or_back(request, filterset, *, list_url, max_rows, invalid_message, too_many_message):
    """The filtered rows to export, or (None, a redirect back to the list saying why not).

    The messages are translated strings with %(errors)s, and %(count)s and %(max)s.
    """
    query = request.GET.urlencode()
    back = redirect(f"{list_url}?{query}" if query else list_url)
    if not filterset.is_valid():
        errors = " ".join(
            str(e) for field_errors in filterset.errors.values() for e in field_errors
        )
        messages.error(request, invalid_message % {"errors": errors})
        return None, back
    rows = filterset.qs
    count = rows.count()
    if count > max_rows:
        messages.error(request, too_many_message % {"count": count, "max": max_rows})
        return None, back
    return rows, None


def attachment(body, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
