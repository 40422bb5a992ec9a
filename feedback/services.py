"""Recording opinions: one place that creates them, used by the entry form and the Excel import."""

from django.db import transaction

from communes.models import AdministrativeUnit

from .models import EventKind, Opinion, OpinionEvent, OpinionStatus


class Outcome:
    """What happened to an opinion at the session."""

    PENDING = "pending"
    ANSWERED = "answered"
    FORWARDED = "forwarded"


def opinion_unit_for(*, session, hamlet=None, unit=None) -> AdministrativeUnit:
    """Whose residents raised it: the hamlet's commune, the chosen unit, the only attending unit,
    or else the host."""
    if hamlet is not None:
        return hamlet.commune
    if unit is not None:
        return unit
    attending = list(session.attending_units.all()[:2])
    return attending[0] if len(attending) == 1 else session.host_unit


@transaction.atomic
def opinion_record(*, session, by, data: dict) -> Opinion:
    """Create one opinion of a session from cleaned row data, then apply its outcome."""
    opinion = Opinion.objects.create(
        session=session,
        unit=opinion_unit_for(session=session, hamlet=data.get("hamlet"), unit=data.get("unit")),
        field=data["field"],
        kind=data["kind"],
        content=data["content"].strip(),
        raised_by=(data.get("raised_by") or "").strip(),
        phone=(data.get("phone") or "").strip(),
        address=(data.get("address") or "").strip(),
        hamlet=data.get("hamlet"),
        created_by=by,
    )
    OpinionEvent.objects.create(
        opinion=opinion, kind=EventKind.RECORDED, by=by, to_status=opinion.status
    )
    outcome = data.get("outcome") or Outcome.PENDING
    if outcome == Outcome.ANSWERED:
        opinion.answer_at_session(
            answer=data["session_answer"], answered_by=data.get("answered_by") or "", by=by
        )
    elif outcome == Outcome.FORWARDED:
        opinion.forward_to(data["agency"], deadline=data.get("deadline"), by=by)
    return opinion


def awaiting_acknowledgement(opinions):
    """The opinions whose author is still to be told (a duplicate's is told with the original)."""
    return opinions.filter(acknowledged_on__isnull=True).exclude(status=OpinionStatus.DUPLICATE)


@transaction.atomic
def acknowledge_all(*, opinions, day, by) -> int:
    """The authors of these opinions were told on `day` (one letter for a session's list).

    The rows are locked first: an opinion someone recorded as told meanwhile is left as it is,
    and the count says how many were recorded now."""
    ids = list(opinions.values_list("pk", flat=True))
    waiting = awaiting_acknowledgement(
        Opinion.objects.select_for_update(of=("self",)).filter(pk__in=ids)
    ).select_related("session").order_by("pk")  # fmt: skip
    count = 0
    for opinion in waiting:
        opinion.acknowledge(day=day, by=by)
        count += 1
    return count
