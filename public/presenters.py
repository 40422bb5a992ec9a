"""What a resident reads of a published opinion or session: the one home of the public fields.

The pages, the feed, the CSV and the JSON all take their values from here, so a field that is
not listed here (who raised it, their hamlet, the internal notes, who answered) is never public.
"""

from django.utils import timezone

from feedback.models import AWAITING_AGENCY, OpinionStatus


def opinion_answer(opinion) -> str:
    """The answer given, at the session or later, or why it cannot be resolved."""
    if opinion.status == OpinionStatus.UNRESOLVABLE:
        return opinion.unresolved_reason
    return opinion.answer or opinion.session_answer


def opinion_row(publication) -> dict:
    opinion = publication.opinion
    waiting = opinion.status in AWAITING_AGENCY
    return {
        "id": publication.public_id,
        "session": publication.session.publication.public_id,
        "session_date": timezone.localtime(publication.session.starts_at).date(),
        "field": opinion.field.name,
        "text": publication.text,
        "status": opinion.get_status_display(),
        "status_code": opinion.status,
        "answer": "" if waiting else opinion_answer(opinion),
        "handled_by": opinion.agency.name if waiting and opinion.agency_id else "",
        "due": opinion.deadline if waiting else None,
        "published_on": timezone.localtime(publication.published_at).date(),
    }


# The open data's columns, in order, with what each holds (the documentation page lists them).
COLUMNS = ["id", "session", "session_date", "field", "text", "status", "status_code", "answer",
           "handled_by", "due", "published_on"]  # fmt: skip
