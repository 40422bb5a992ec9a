"""Reminder e-mails sent by Celery beat: each event reminds each person once.

Three events are watched: a session starting within the week, opinions whose answer is due soon
or overdue, and sessions held days ago whose minutes were never recorded; and, near a month's
end, the monthly quotas of the rules a unit has not yet met (issue 12). ReminderLog is the
memory of what was sent: one row per (kind, object, recipient address), written in the same
transaction that sends the e-mail. A failed send rolls its rows back, so the next beat tries
again; two beats running at once cannot both send, because the second one's insert hits the
unique constraint and is dropped.

Every function reads its events, the ledger and the people with a fixed number of queries and
groups them in Python; the only queries that grow are the writes, one transaction per e-mail.
"""

import datetime
import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Role, User
from communes.models import AdministrativeUnit, UnitLevel
from dialogues.models import Session
from feedback.models import DUE_SOON_DAYS, Opinion, due_soon_q, overdue_q
from obligations.compliance import compliance, month_end, requirement
from obligations.models import Measure

from .models import ReminderLog

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Tiếp xúc, đối thoại]"
UPCOMING_DAYS = 7
MINUTES_GRACE_DAYS = 3


class Kind:
    """What a ledger row remembers; a postponed session is a new event at its new date."""

    SESSION_UPCOMING = "session_upcoming"
    SESSION_UPCOMING_POSTPONED = "session_upcoming_postponed"
    OPINION_DUE_SOON = "opinion_due_soon"
    OPINION_OVERDUE = "opinion_overdue"
    MINUTES_MISSING = "session_minutes_missing"
    # With the rule and the month: "quota_short:<rule id>:<yyyymm>", the unit as the object.
    QUOTA_SHORT = "quota_short"


@dataclass(frozen=True)
class Event:
    kind: str
    object_id: int
    subject: Any  # the session or opinion the e-mail tells about

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.object_id)


# --- the three reminders ---------------------------------------------------------------------


def remind_upcoming_sessions(*, now: datetime.datetime | None = None) -> int:
    """Tell the host unit's people about each session starting within the next 7 days."""
    now = now or timezone.now()
    sessions = list(
        Session.objects.upcoming(now=now, within=datetime.timedelta(days=UPCOMING_DAYS))
        .annotate(last_postponement=Max("postponements__pk"))
        .select_related("host_unit")
        .prefetch_related("chairs__person", "chairs__position")
        .order_by("starts_at", "pk")
    )
    events = [_upcoming_event(session) for session in sessions]
    sent_before = _sent_before(events)
    people = _host_people(sessions)
    sent = 0
    with mail.get_connection() as connection:
        for event in events:
            for address, user in _session_recipients(event.subject, people).items():
                if (*event.key, address) in sent_before:
                    continue
                sent += _deliver(
                    address=address,
                    events=[event],
                    compose=lambda claimed, user=user: _upcoming_message(claimed[0], user),
                    connection=connection,
                )
    return sent


def remind_opinions(*, today: datetime.date | None = None) -> int:
    """Tell agencies and the board staff above them about opinions due soon or overdue.

    One e-mail per person lists all their newly due and newly overdue opinions.
    """
    today = today or timezone.localdate()
    opinions = list(
        Opinion.objects.filter(overdue_q(today) | due_soon_q(today), agency__isnull=False)
        .select_related("unit", "agency")
        .order_by("deadline", "pk")
    )
    events = [
        Event(
            Kind.OPINION_OVERDUE if opinion.deadline < today else Kind.OPINION_DUE_SOON,
            opinion.pk,
            opinion,
        )
        for opinion in opinions
    ]
    sent_before = _sent_before(events)
    responders = _people_by(
        User.objects.filter(
            role=Role.AGENCY_RESPONDER, agency_id__in={o.agency_id for o in opinions}
        ),
        key="agency_id",
    )
    staff = _board_staff_above(o.unit for o in opinions)

    def recipients(opinion):
        found = _addresses(responders.get(opinion.agency_id, []))
        found.update(_addresses(_containing(staff, opinion.unit)))
        return found

    return _send_grouped(
        events,
        recipients,
        sent_before,
        compose=lambda claimed, user: _opinions_message(claimed, user, today),
    )


def remind_missing_minutes(*, now: datetime.datetime | None = None) -> int:
    """Ask the host unit's people for the minutes of sessions held over 3 days ago without any.

    One e-mail per person lists all their sessions still missing minutes.
    """
    now = now or timezone.now()
    sessions = list(
        Session.objects.held()
        .filter(starts_at__lt=now - datetime.timedelta(days=MINUTES_GRACE_DAYS), minutes_text="")
        .filter(Q(minutes_file="") | Q(minutes_file__isnull=True))
        .select_related("host_unit")
        .order_by("starts_at", "pk")
    )
    events = [Event(Kind.MINUTES_MISSING, session.pk, session) for session in sessions]
    sent_before = _sent_before(events)
    people = _host_people(sessions)

    return _send_grouped(
        events,
        lambda session: _session_recipients(session, people),
        sent_before,
        compose=_minutes_message,
    )


def remind_quota_shortfalls(*, today: datetime.date | None = None) -> int:
    """In the last COMPLIANCE_REMINDER_DAYS days of a month, tell each unit's officers (board
    staff above the commune level) of every monthly quota of the rules it has not yet met.

    Once per unit, rule and month: the ledger's kind names the rule and the month, its object
    the unit. One e-mail per person lists all their units' shortfalls.
    """
    today = today or timezone.localdate()
    last = month_end(today)
    if (last - today).days + 1 > settings.COMPLIANCE_REMINDER_DAYS:
        return 0
    result = compliance(
        unit=None, start=today.replace(day=1), end=last, today=today,
        measures=(Measure.PER_MONTH,), with_sessions=False,
    )  # fmt: skip
    events = [
        Event(f"{Kind.QUOTA_SHORT}:{line.rule.pk}:{today:%Y%m}", row.unit.pk, (line, row))
        for line in result.quotas
        for row in line.units_short
    ]
    sent_before = _sent_before(events)
    people = _people_by(
        User.objects.filter(
            role__in=[Role.COMMUNE_OFFICER, Role.BOARD_STAFF],
            unit_id__in={event.object_id for event in events},
        ),
        key="unit_id",
    )

    def recipients(subject):
        _line, row = subject
        role = Role.COMMUNE_OFFICER if row.unit.level == UnitLevel.COMMUNE else Role.BOARD_STAFF
        return _addresses(u for u in people.get(row.unit.pk, []) if u.role == role)

    return _send_grouped(
        events,
        recipients,
        sent_before,
        compose=lambda claimed, user: _quota_message(claimed, user, today, last),
    )


# --- who is told -------------------------------------------------------------------------------


def _reachable(users):
    """People who can read an e-mail from us: active, with an address."""
    return users.filter(is_active=True).exclude(email="").order_by("pk")


def _normal(address: str) -> str:
    return address.strip().lower()


def _addresses(users: Iterable[User]) -> dict[str, User]:
    """Each address once, even when two accounts share it."""
    found = {}
    for user in users:
        found.setdefault(_normal(user.email), user)
    return found


def _people_by(users, *, key: str) -> dict[int, list[User]]:
    grouped = defaultdict(list)
    for user in _reachable(users):
        grouped[getattr(user, key)].append(user)
    return grouped


def _host_people(sessions: list[Session]) -> dict[int, list[User]]:
    """Commune officers and board staff of the units hosting these sessions, by unit."""
    return _people_by(
        User.objects.filter(
            role__in=[Role.COMMUNE_OFFICER, Role.BOARD_STAFF],
            unit_id__in={s.host_unit_id for s in sessions},
        ),
        key="unit_id",
    )


def _session_recipients(session: Session, people: dict[int, list[User]]) -> dict[str, User]:
    """A commune's session goes to its officers; a district's (or province's) to its board."""
    role = Role.COMMUNE_OFFICER if session.level == UnitLevel.COMMUNE else Role.BOARD_STAFF
    return _addresses(u for u in people.get(session.host_unit_id, []) if u.role == role)


def _board_staff_above(units: Iterable[AdministrativeUnit]) -> list[User]:
    """Board staff of any unit that contains one of these units, in one query."""
    paths = {path for unit in units for path in unit.lineage_paths()}
    if not paths:
        return []
    return list(
        _reachable(User.objects.filter(role=Role.BOARD_STAFF, unit__path__in=paths))
        .select_related("unit")
    )  # fmt: skip


def _containing(staff: list[User], unit: AdministrativeUnit) -> list[User]:
    return [user for user in staff if unit.is_within(user.unit)]


# --- the ledger and the sending --------------------------------------------------------------


def _sent_before(events: list[Event]) -> set[tuple[str, int, str]]:
    """(kind, object id, address) of every reminder already sent for these events."""
    if not events:
        return set()
    rows = ReminderLog.objects.filter(
        kind__in={e.kind for e in events}, object_id__in={e.object_id for e in events}
    ).values_list("kind", "object_id", "recipient")
    return {(kind, object_id, _normal(recipient)) for kind, object_id, recipient in rows}


def _ledger_rows(address: str, events: list[Event]) -> list[ReminderLog]:
    now = timezone.now()
    return [
        ReminderLog(kind=e.kind, object_id=e.object_id, recipient=address, sent_at=now)
        for e in events
    ]


def _claim_each(address: str, events: list[Event]) -> list[Event]:
    """Write the ledger rows one by one; return the events no other run has claimed."""
    claimed = []
    for event, row in zip(events, _ledger_rows(address, events), strict=True):
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue
        claimed.append(event)
    return claimed


def _deliver(
    *, address: str, events: list[Event], compose: Callable[[list[Event]], mail.EmailMessage],
    connection,
) -> int:  # fmt: skip
    """Write the ledger rows for the events and send one e-mail about them; 1 if it went out.

    Sending inside the transaction means a refused e-mail leaves no ledger row behind, so the
    next beat sends it again. The e-mail is in Vietnamese, whatever language the beat runs in.
    """

    def send(claimed):
        with translation.override("vi"):
            message = compose(claimed)
        message.to = [address]
        message.connection = connection
        message.send()

    try:
        try:
            with transaction.atomic():
                ReminderLog.objects.bulk_create(_ledger_rows(address, events))
                send(events)
        except IntegrityError:
            # Another beat is sending some of these right now: tell only of the ones still free.
            with transaction.atomic():
                claimed = _claim_each(address, events)
                if not claimed:
                    return 0
                send(claimed)
    except (smtplib.SMTPException, OSError):
        logger.exception("Reminder to %s not sent; it will be tried again at the next run", address)
        return 0
    return 1


def _send_grouped(
    events: list[Event], recipients_of: Callable[[Any], dict[str, User]],
    sent_before: set, *, compose: Callable[[list[Event], User], mail.EmailMessage],
) -> int:  # fmt: skip
    """One e-mail per address about all its events not yet sent; how many e-mails went out."""
    pending: dict[str, list[Event]] = defaultdict(list)
    users: dict[str, User] = {}
    for event in events:
        for address, user in recipients_of(event.subject).items():
            if (*event.key, address) not in sent_before:
                pending[address].append(event)
                users.setdefault(address, user)
    sent = 0
    with mail.get_connection() as connection:
        for address, batch in pending.items():
            sent += _deliver(
                address=address,
                events=batch,
                compose=lambda claimed, user=users[address]: compose(claimed, user),
                connection=connection,
            )
    return sent


# --- the e-mails -------------------------------------------------------------------------------


def _site_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def _one_line(text: str) -> str:
    # A subject is one header line; a topic typed with a line break must not break it.
    return " ".join(text.split())


def _message(*, subject: str, template: str, context: dict) -> mail.EmailMessage:
    return mail.EmailMessage(
        subject=f"{SUBJECT_PREFIX} {_one_line(subject)}",
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
    )


def _upcoming_event(session: Session) -> Event:
    if session.last_postponement:
        return Event(Kind.SESSION_UPCOMING_POSTPONED, session.last_postponement, session)
    return Event(Kind.SESSION_UPCOMING, session.pk, session)


def _upcoming_message(event: Event, user: User) -> mail.EmailMessage:
    session = event.subject
    starts = timezone.localtime(session.starts_at)
    return _message(
        subject=gettext("Session on %(date)s: %(topic)s")
        % {"date": f"{starts:%d/%m/%Y}", "topic": session.topic},
        template="reports/email/session_upcoming.txt",
        context={
            "name": user.get_full_name() or user.username,
            "session": session,
            "chairs": session.chairs.all(),
            "postponed": event.kind == Kind.SESSION_UPCOMING_POSTPONED,
            "days": UPCOMING_DAYS,
            "link": _site_url(session.get_absolute_url()),
        },
    )


def _opinions_message(events: list[Event], user: User, today: datetime.date):
    def items(kind):
        return [
            {"opinion": e.subject, "link": _site_url(e.subject.get_absolute_url())}
            for e in events
            if e.kind == kind
        ]

    overdue, due_soon = items(Kind.OPINION_OVERDUE), items(Kind.OPINION_DUE_SOON)
    return _message(
        subject=gettext("Opinions awaiting an answer: %(overdue)s overdue, %(due)s due soon")
        % {"overdue": len(overdue), "due": len(due_soon)},
        template="reports/email/opinions_due.txt",
        context={
            "name": user.get_full_name() or user.username,
            "overdue": overdue,
            "due_soon": due_soon,
            "today": today,
            "days": DUE_SOON_DAYS,
        },
    )


def _minutes_message(events: list[Event], user: User) -> mail.EmailMessage:
    sessions = [
        {
            "session": e.subject,
            "link": _site_url(reverse("dialogues:session-record", args=[e.object_id])),
        }
        for e in events
    ]
    return _message(
        subject=gettext("Sessions without minutes: %(count)s") % {"count": len(sessions)},
        template="reports/email/minutes_missing.txt",
        context={
            "name": user.get_full_name() or user.username,
            "sessions": sessions,
            "days": MINUTES_GRACE_DAYS,
        },
    )


def _quota_message(events: list[Event], user: User, today: datetime.date, last: datetime.date):
    items = []
    for event in events:
        line, row = event.subject
        items.append(
            {
                "rule": line.rule,
                "requirement": requirement(line.rule),
                "unit": row.unit,
                "row": row,
                "heads": ", ".join(row.heads),
                "link": _site_url(
                    reverse("obligations:compliance") + f"?unit={row.unit.pk}&rule={line.rule.pk}"
                ),
            }
        )
    return _message(
        subject=gettext("Monthly quotas not yet met in %(month)s: %(count)s")
        % {"month": f"{today:%m/%Y}", "count": len(items)},
        template="reports/email/quota_short.txt",
        context={
            "name": user.get_full_name() or user.username,
            "items": items,
            "today": today,
            "last": last,
        },
    )
