"""The rules in force and the deadlines they set: the one home for "announce by", "results public
by" and "author told by", read from `Obligation` rows (never from numbers in code).

`RuleBook.load(day)` reads every rule (a short table) in one query; a list page loads it once and
asks it per row, so a page's query count does not grow with its rows. A session is held to the
rules in force on its own date: a 2019 session has no Kết luận 215 deadline.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from feedback.deadlines import add_working_days, holidays_between

from .models import Measure, Obligation


def _days_after(start: datetime.date, rule: Obligation, holidays) -> datetime.date:
    if rule.working_days:
        return add_working_days(start, rule.number, holidays)
    return start + datetime.timedelta(days=rule.number)


def _days_before(day: datetime.date, rule: Obligation, holidays) -> datetime.date:
    if not rule.working_days:
        return day - datetime.timedelta(days=rule.number)
    closed, remaining = set(holidays), rule.number
    while remaining > 0:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            remaining -= 1
    return day


@dataclass
class RuleBook:
    """The rules (each with its period in force), `day` being today for the holidays around it."""

    day: datetime.date
    rules: list[Obligation]
    holidays: list[datetime.date]

    @classmethod
    def load(cls, day: datetime.date | None = None, *, holidays: bool = True) -> "RuleBook":
        day = day or timezone.localdate()
        rules = list(Obligation.objects.select_related("position"))
        closed = (
            holidays_between(day - datetime.timedelta(days=400), day + datetime.timedelta(days=120))
            if holidays and any(rule.working_days for rule in rules)
            else []
        )
        return cls(day=day, rules=rules, holidays=closed)

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
        rule = self.rule(
            Measure.ANNOUNCE_BEFORE, level=session.level, kind=session.kind, on=session.start_date
        )
        return _days_before(session.start_date, rule, self.holidays) if rule else None

    def publish_by(self, session) -> datetime.date | None:
        """The last day the results of a session may be made public."""
        rule = self.rule(
            Measure.PUBLISH_AFTER, level=session.level, kind=session.kind, on=session.start_date
        )
        return _days_after(session.start_date, rule, self.holidays) if rule else None

    def acknowledge_by(self, opinion, session=None) -> datetime.date | None:
        """The last day the opinion's author may be told in writing it was taken up or passed on."""
        session = session or opinion.session
        rule = self.rule(
            Measure.ACKNOWLEDGE_AFTER, level=session.level, kind=session.kind, on=session.start_date
        )
        return _days_after(session.start_date, rule, self.holidays) if rule else None

    def latest_start(self, measure: str, *, level: str, kind: str | None = None):
        """Sessions that started on or before this day are past the deadline of `measure`
        today (for filters in SQL: deadline < today ⇔ start ≤ this day); None: no rule."""
        rule = self.rule(measure, level=level, kind=kind)
        if rule is None:
            return None
        # deadline(start) < today ⇔ start < today − N: the last such start day.
        return _days_before(self.day, rule, self.holidays) - datetime.timedelta(days=1)
