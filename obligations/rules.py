"""The rules in force and the deadlines they set: the one home for "announce by", "results public
by" and "author told by", read from `Obligation` rows (never from numbers in code).

`RuleBook.load(day)` reads every rule (a short table) and the holiday list, from the cache of
reference tables (config/reference.py) or in one query each; a list page loads it once and asks
it per row, so a page's query count does not grow with its rows. A session is held to the
rules in force on its own date: a 2019 session has no Kết luận 215 deadline.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from config.dates import on_or_after, on_or_before
from config.reference import reference
from feedback.deadlines import add_working_days, working_calendar

from .models import Measure, Obligation


def _days_after(start: datetime.date, rule: Obligation, holidays, worked=()) -> datetime.date:
    if rule.working_days:
        return add_working_days(start, rule.number, holidays, worked)
    return start + datetime.timedelta(days=rule.number)


def _days_before(day: datetime.date, rule: Obligation, holidays, worked=()) -> datetime.date:
    if not rule.working_days:
        return day - datetime.timedelta(days=rule.number)
    closed, open_, remaining = set(holidays), set(worked), rule.number
    while remaining > 0:
        day -= datetime.timedelta(days=1)
        if (day.weekday() < 5 or day in open_) and day not in closed:
            remaining -= 1
    return day


@dataclass
class RuleBook:
    """The rules (each with its period in force), `day` being today for the holidays around it."""

    day: datetime.date
    rules: list[Obligation]
    holidays: list[datetime.date]
    worked: set[datetime.date] = field(default_factory=set)  # make-up working Saturdays

    @classmethod
    def load(cls, day: datetime.date | None = None, *, holidays: bool = True) -> "RuleBook":
        day = day or timezone.localdate()
        rows = Obligation.objects.select_related("position")
        rules = reference("obligations", lambda: list(rows))
        closed, worked = (
            working_calendar(day - datetime.timedelta(days=401), day + datetime.timedelta(days=120))
            if holidays and any(rule.working_days for rule in rules)
            else (set(), set())
        )
        return cls(day=day, rules=rules, holidays=sorted(closed), worked=worked)

    def rule(
        self, measure: str, *, level: str, kind: str | None = None, on: datetime.date | None = None
    ) -> Obligation | None:
        """The rule of this measure in force `on` a day (by default the book's) for a unit of
        `level` (and a session of `kind`): one that names the kind wins over one for every kind."""
        on = on or self.day
        found = [
            rule
            for rule in self.rules
            if rule.measure == measure
            and rule.level == level
            and (kind is None or rule.applies_to_kind(kind))
            and rule.valid_from <= on
            and (rule.valid_to is None or on <= rule.valid_to)
        ]
        found.sort(key=lambda rule: (not rule.session_kind, rule.order, rule.pk))
        return found[0] if found else None

    def quotas(
        self, *, level: str | None = None, on: datetime.date | None = None
    ) -> list[Obligation]:
        """The quotas in force `on` a day (by default the book's)."""
        on = on or self.day
        return [
            rule
            for rule in self.rules
            if rule.is_quota
            and level in (None, rule.level)
            and rule.valid_from <= on
            and (rule.valid_to is None or on <= rule.valid_to)
        ]

    # Deadlines of one session or one opinion ------------------------------------------------

    def announce_by(self, session) -> datetime.date | None:
        """The last day the session may be announced to residents."""
        return self.announce_deadline(
            level=session.level, kind=session.kind, day=session.start_date
        )

    def announce_deadline(self, *, level: str, kind: str, day: datetime.date):
        """The last day a session of `level` and `kind` on `day` may be announced (the form asks
        this before the session exists); None: no rule in force on that day."""
        rule = self.rule(Measure.ANNOUNCE_BEFORE, level=level, kind=kind, on=day)
        return _days_before(day, rule, self.holidays, self.worked) if rule else None

    def publish_by(self, session) -> datetime.date | None:
        """The last day the results of a session may be made public."""
        rule = self.rule(
            Measure.PUBLISH_AFTER, level=session.level, kind=session.kind, on=session.start_date
        )
        return _days_after(session.start_date, rule, self.holidays, self.worked) if rule else None

    def acknowledge_by(self, opinion, session=None) -> datetime.date | None:
        """The last day the opinion's author may be told in writing it was taken up or passed on."""
        session = session or opinion.session
        rule = self.rule(
            Measure.ACKNOWLEDGE_AFTER, level=session.level, kind=session.kind, on=session.start_date
        )
        return _days_after(session.start_date, rule, self.holidays, self.worked) if rule else None

    def latest_start(self, measure: str, *, level: str, kind: str | None = None):
        """Sessions that started on or before this day are past the deadline of `measure`
        today (for filters in SQL: deadline < today ⇔ start ≤ this day); None: no rule."""
        rule = self.rule(measure, level=level, kind=kind)
        if rule is None:
            return None
        # deadline(start) < today ⇔ start < today − N: the last such start day.
        return _days_before(self.day, rule, self.holidays, self.worked) - datetime.timedelta(days=1)

    # Filters in SQL: which sessions and opinions are behind today ---------------------------
    # Each rule governs the sessions of its level and kind that started while it was in force;
    # a rule naming no kind governs the kinds no rule of the same level and measure names.

    def _governed(self, rule: Obligation, prefix: str = "") -> Q:
        governed = Q(**{f"{prefix}level": rule.level}) & on_or_after(
            f"{prefix}starts_at", rule.valid_from
        )
        if rule.valid_to:
            governed &= on_or_before(f"{prefix}starts_at", rule.valid_to)
        if rule.session_kind:
            return governed & Q(**{f"{prefix}kind": rule.session_kind})
        named = {
            other.session_kind
            for other in self.rules
            if other.measure == rule.measure and other.level == rule.level and other.session_kind
        }
        return governed & ~Q(**{f"{prefix}kind__in": named}) if named else governed

    def _rules_of(self, measure: str) -> list[Obligation]:
        return [rule for rule in self.rules if rule.measure == measure]

    def past_deadline_q(self, measure: str, prefix: str = "") -> Q:
        """Sessions (through `prefix`, e.g. "session__") whose deadline of an after-measure
        (publish, acknowledge) was before today. Matches nothing where no rule is in force."""
        found = Q(pk__in=[])
        for rule in self._rules_of(measure):
            last = _days_before(self.day, rule, self.holidays, self.worked)
            last -= datetime.timedelta(days=1)
            found |= self._governed(rule, prefix) & on_or_before(f"{prefix}starts_at", last)
        return found

    def announce_late(self, sessions):
        """Sessions announced after their deadline, or not (recorded as) announced when it has
        passed; cancelled ones do not count. Calendar days are compared in SQL exactly; a rule
        in working days is compared as that many calendar days (a few days more lenient)."""
        from dialogues.models import SessionStatus

        late = Q(pk__in=[])
        for rule in self._rules_of(Measure.ANNOUNCE_BEFORE):
            # The first start day whose announcement deadline is not yet past today.
            first_open = self.day
            while _days_before(first_open, rule, self.holidays, self.worked) < self.day:
                first_open += datetime.timedelta(days=1)
            missing = Q(notice_date__isnull=True) & on_or_before(
                "starts_at", first_open - datetime.timedelta(days=1)
            )
            short = Q(notice_gap__lt=datetime.timedelta(days=rule.number))
            late |= self._governed(rule) & (missing | short)
        gap = ExpressionWrapper(
            TruncDate("starts_at", tzinfo=timezone.get_current_timezone()) - F("notice_date"),
            output_field=DurationField(),
        )
        return sessions.alias(notice_gap=gap).filter(late).exclude(status=SessionStatus.CANCELLED)

    def results_overdue(self, sessions):
        """Held sessions whose results are not yet public and whose deadline has passed."""
        from dialogues.models import SessionStatus

        return sessions.filter(
            self.past_deadline_q(Measure.PUBLISH_AFTER),
            status=SessionStatus.HELD,
            results_published_on__isnull=True,
        )

    def unacknowledged_overdue(self, opinions):
        """Opinions whose author has not been told and whose deadline has passed (a duplicate
        is the same request again: its author is told with the original)."""
        from feedback.models import OpinionStatus

        return opinions.filter(
            self.past_deadline_q(Measure.ACKNOWLEDGE_AFTER, prefix="session__"),
            acknowledged_on__isnull=True,
        ).exclude(status=OpinionStatus.DUPLICATE)


@dataclass
class Deadline:
    """One deadline of one session or opinion, as its page shows it."""

    day: datetime.date | None  # None: no rule in force on the session's date
    done_on: datetime.date | None
    today: datetime.date

    @property
    def overdue(self) -> bool:
        """Not done and the deadline has passed."""
        return self.day is not None and self.done_on is None and self.day < self.today

    @property
    def late(self) -> bool:
        """Done, but after the deadline."""
        return self.day is not None and self.done_on is not None and self.done_on > self.day

    @property
    def days_overdue(self) -> int:
        return (self.today - self.day).days if self.overdue else 0


def session_deadlines(book: RuleBook, session) -> dict:
    """The session page's deadlines that a rule in force on its date sets: announce by (not
    for a cancelled session) and, once held, results public by."""
    from dialogues.models import SessionStatus

    deadlines = {}
    if session.status != SessionStatus.CANCELLED:
        deadlines["announce"] = Deadline(book.announce_by(session), session.notice_date, book.day)
    if session.status == SessionStatus.HELD:
        deadlines["publish"] = Deadline(
            book.publish_by(session), session.results_published_on, book.day
        )
    return {name: deadline for name, deadline in deadlines.items() if deadline.day is not None}


def acknowledge_deadline(book: RuleBook, opinion, session=None) -> Deadline:
    return Deadline(book.acknowledge_by(opinion, session), opinion.acknowledged_on, book.day)
