"""Changes to sessions that the workflow (dialogues/workflow.py) governs. Views call these;
nothing else sets `status`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.workflow import TransitionNotAllowed

from .models import Postponement, Session, SessionStatus, times_error


def _require(session: Session, transition: str) -> None:
    """The state must allow the transition (dialogues/workflow.py)."""
    from .workflow import SESSION_WORKFLOW

    SESSION_WORKFLOW.require(session.status, transition)


def _check_dates_in_plan(session: Session, starts_at, ends_at) -> None:
    errors = {}
    if error := times_error(starts_at, ends_at):
        errors["new_ends_at"] = error
    if error := session.plan.day_error(timezone.localtime(starts_at).date()):
        errors["new_starts_at"] = error
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_mark_held(
    *, session: Session, by, attendance_residents: int, attendance_cadres: int,
    minutes_text: str = "", minutes_file=None,
) -> Session:  # fmt: skip
    _require(session, "held")
    if not session.has_started:
        raise TransitionNotAllowed(
            _("The session starts at %(start)s; it cannot be marked as held before it starts.")
            % {"start": timezone.localtime(session.starts_at).strftime("%H:%M %d/%m/%Y")}
        )
    session.status = SessionStatus.HELD
    session.attendance_residents = attendance_residents
    session.attendance_cadres = attendance_cadres
    session.minutes_text = minutes_text
    if minutes_file:
        session.minutes_file = minutes_file
    session.logged_by = by
    session.logged_at = timezone.now()
    session.save()
    return session


@transaction.atomic
def session_update_record(
    *, session: Session, attendance_residents: int, attendance_cadres: int,
    minutes_text: str, minutes_file=None,
) -> Session:  # fmt: skip
    """Correct the attendance and minutes of a session already held."""
    _require(session, "record")
    session.attendance_residents = attendance_residents
    session.attendance_cadres = attendance_cadres
    session.minutes_text = minutes_text
    if minutes_file:
        session.minutes_file = minutes_file
    session.save()
    return session


@transaction.atomic
def session_postpone(*, session: Session, by, new_starts_at, new_ends_at, reason: str) -> Session:
    _require(session, "postpone")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for postponing.")})
    _check_dates_in_plan(session, new_starts_at, new_ends_at)
    Postponement.objects.create(
        session=session,
        old_starts_at=session.starts_at,
        old_ends_at=session.ends_at,
        new_starts_at=new_starts_at,
        new_ends_at=new_ends_at,
        reason=reason.strip(),
        created_by=by,
    )
    session.starts_at, session.ends_at = new_starts_at, new_ends_at
    session.status = SessionStatus.POSTPONED
    session.save()
    return session


@transaction.atomic
def session_reschedule(*, session: Session, by) -> Session:
    """Confirm a postponed session at its new date: it is planned again."""
    _require(session, "reschedule")
    session.status = SessionStatus.PLANNED
    session.save()
    return session


@transaction.atomic
def session_cancel(*, session: Session, by, reason: str) -> Session:
    _require(session, "cancel")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason.strip()
    session.save()
    return session


@transaction.atomic
def session_publish_results(*, session: Session, by, day) -> Session:
    """Record the day the results were made public (posted at the office, sent to the village
    heads, in the media). The first record by board staff or the commune's officers; once
    recorded, only board staff correct it. Call with the row locked."""
    from .workflow import SESSION_WORKFLOW

    name = "publish_correct" if session.results_public else "publish"
    _require(session, name)
    if by is not None and by.role not in SESSION_WORKFLOW[name].roles:
        raise ValidationError(
            _("The results were recorded as made public on %(day)s; only board staff can "
              "correct it.") % {"day": session.results_published_on.strftime("%d/%m/%Y")}
        )  # fmt: skip
    if day > timezone.localdate():
        raise ValidationError({"day": _("The date cannot be in the future.")})
    if day < session.start_date:
        raise ValidationError(
            {"day": _("The results cannot be made public before the session (%(day)s).")
             % {"day": session.start_date.strftime("%d/%m/%Y")}}
        )  # fmt: skip
    session.results_published_on = day
    session.results_published_by = by
    session.save()
    return session
