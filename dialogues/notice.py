"""What a notice to residents says: one context for the printable page and the PDF."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .documents import official_date
from .models import Session, SessionStatus


def session_notice_context(session: Session) -> dict:
    """The host's header, the time, the residents, the chairs (by position, then name) and the
    state (postponed, cancelled); the minutes' PDF starts from it too."""
    host = session.host_unit
    issuer = _("%(party)s – People's Committee") % {"party": host.party_committee}
    chairs = [
        {"name": chair.person.full_name, "position": chair.position.name,
         "unit": chair.unit.in_sentence}
        for chair in session.chairs.select_related("person", "position", "unit").order_by(
            "position__order", "person__full_name"
        )
    ]  # fmt: skip
    attending = session.attending_units.order_by("path")
    postponed = session.status == SessionStatus.POSTPONED
    postponement = session.postponements.order_by("-created_at").first() if postponed else None
    return {
        "session": session,
        "plan": session.plan,
        "host": host,
        "issuer": issuer,
        "issuer_in_sentence": f"{issuer} {host.in_sentence}",
        "host_upper": host.full_name.upper(),
        "starts": timezone.localtime(session.starts_at),
        "ends": timezone.localtime(session.ends_at),
        "residents": ", ".join(unit.in_sentence for unit in attending),
        "chairs": chairs,
        "signatory": chairs[0] if chairs else None,
        "notice_date": official_date(session.notice_date) if session.notice_date else None,
        "postponement": postponement,
        "is_cancelled": session.status == SessionStatus.CANCELLED,
        "is_postponed": postponed,
    }
