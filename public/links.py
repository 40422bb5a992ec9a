"""The public address of a session, and its QR code for the notice board."""

import segno
from django.conf import settings
from django.urls import reverse


def session_public_url(session) -> str | None:
    """The absolute address of the session's public page, or None while nothing is public."""
    from .selectors import public_sessions, public_unit_of

    publication = getattr(session, "publication", None)
    if publication is None or not public_sessions().filter(pk=session.pk).exists():
        return None
    unit = public_unit_of(session.host_unit)
    if unit is None:
        return None
    return settings.SITE_URL + reverse("public:session", args=[unit.code, publication.public_id])


def qr_svg(url: str) -> str:
    """The address as a QR code, an inline SVG the PDF draws as vectors (sharp when printed)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=3, border=4, omitsize=False)
