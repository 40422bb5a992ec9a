"""Who is behind: each rule in force, against what the units of a scope did in a period.

The one home of the compliance figures; the compliance page, the home page's "due this month",
the reminder e-mails and the report's section on the rules all read them from here, and the
numbers come from the `Obligation` rows through `RuleBook` (never from code).

Quotas (at least N days a month, at least N a year) are counted per unit of the rule's level in
the scope, per calendar month (or year) the rule is in force and the unit exists: a unit ended by
a reorganisation is not asked for anything after its end, its successor only from its start. A
day counts when a session of the rule's kind hosted by the unit was held on it and, when the rule
names an office, chaired by the holder of that office in the unit. A month that is over (judged on
the period's last day, or today when that is earlier) with fewer days than required is behind by
what is missing; a month still running is behind by what it lacks against its pace (2 days a
month: 1 by the 15th of 30 days, 2 on its last day), and what it still needs is open. A yearly
quota counts from 1 January of its year.

Deadlines (announce before, publish after, acknowledge after) are counted over the sessions (and
their opinions) that start in the period: on time, late, still open, past the deadline.

A fixed number of queries whatever the number of units, sessions, opinions and rules: the rules
(and holidays, both usually from the cache of reference tables), the units, the office holders,
one list of the sessions counted for any quota rule, and two grouped counts for the deadlines.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Min, OuterRef, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communes.models import AdministrativeUnit, OfficeHolder, UnitLevel, kinds_at_level
from dialogues.models import Session, SessionStatus
from feedback.models import Opinion

from .models import DEADLINES, Measure, Obligation
from .rules import RuleBook

# Highest first: the rules of a unit's own level and of the levels below it apply to its scope.
LEVELS = [UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE]


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month overlapping [start, end]."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = month_end(day) + datetime.timedelta(days=1)
    return months


def _in_force(rule: Obligation, first: datetime.date, last: datetime.date) -> bool:
    return rule.valid_from <= last and (rule.valid_to is None or rule.valid_to >= first)


def _exists(unit, first: datetime.date, last: datetime.date) -> bool:
    """Whether the unit existed on some day from first to last: from the start of its earliest
    succession (if it was formed by one) until the day a reorganisation ended it."""
    started = getattr(unit, "started_on", None)
    return (started is None or started <= last) and (unit.ended_on is None or unit.ended_on > first)


@dataclass(frozen=True)
class Counted:
    """A session that counts towards a quota."""

    pk: int
    day: datetime.date
    topic: str

    @property
    def url(self) -> str:
        return reverse("dialogues:session-detail", args=[self.pk])


@dataclass
class Bucket:
    """One month (or year) of a quota for one unit."""

    first: datetime.date  # the calendar month's (year's) first and last day
    last: datetime.date
    required: int
    over: bool  # the month is over: what is missing is behind, not still open
    days_left: int  # days left in it after the day it is judged on (0 when over)
    days: set = field(default_factory=set)
    heads: tuple[str, ...] = ()

    @property
    def done(self) -> int:
        return len(self.days)

    @property
    def missing(self) -> int:
        return max(self.required - self.done, 0)

    @property
    def behind(self) -> int:
        """Missing when over; while running, short of the pace: the share of the required
        number that the days gone by (judging day included) call for, rounded down."""
        if self.over:
            return self.missing
        length = (self.last - self.first).days + 1
        gone = length - self.days_left
        return max(self.required * gone // length - self.done, 0)


@dataclass
class UnitQuota:
    """What one unit of a quota's level was asked for in the period and what it did."""

    unit: AdministrativeUnit
    buckets: list[Bucket]
    sessions: list[Counted] = field(default_factory=list)

    @property
    def required(self) -> int:
        return sum(bucket.required for bucket in self.buckets)

    @property
    def done(self) -> int:
        return sum(bucket.done for bucket in self.buckets)

    @property
    def behind(self) -> int:
        """Days (sessions) missing in the months that are over, and short of the pace in the
        month still running."""
        return sum(bucket.behind for bucket in self.buckets)

    @property
    def open(self) -> int:
        """Still missing in a month that is not over yet."""
        return sum(bucket.missing for bucket in self.buckets if not bucket.over)

    @property
    def days_left(self) -> int | None:
        open_buckets = [bucket for bucket in self.buckets if not bucket.over and bucket.missing]
        return open_buckets[-1].days_left if open_buckets else None

    @property
    def heads(self) -> tuple[str, ...]:
        """Who held the rule's office in the months missing something (else in the period)."""
        chosen = [bucket for bucket in self.buckets if bucket.missing] or self.buckets
        found = []
        for bucket in chosen:
            found += [head for head in bucket.heads if head not in found]
        return tuple(found)


@dataclass
class QuotaLine:
    rule: Obligation
    units: list[UnitQuota]

    @property
    def required(self) -> int:
        return sum(row.required for row in self.units)

    @property
    def done(self) -> int:
        return sum(row.done for row in self.units)

    @property
    def behind(self) -> int:
        return sum(row.behind for row in self.units)

    @property
    def units_behind(self) -> list[UnitQuota]:
        return [row for row in self.units if row.behind]

    @property
    def units_open(self) -> list[UnitQuota]:
        return [row for row in self.units if row.open and not row.behind]

    @property
    def units_met(self) -> list[UnitQuota]:
        return [row for row in self.units if not row.behind and not row.open]

    @property
    def units_short(self) -> list[UnitQuota]:
        """Behind or not yet there: the units a page lists first."""
        return [row for row in self.units if row.behind or row.open]

    @property
    def is_quota(self) -> bool:
        return True

    @property
    def requirement(self) -> str:
        return requirement(self.rule)


@dataclass
class DeadlineLine:
    rule: Obligation
    on_time: int = 0
    late: int = 0
    open: int = 0  # not done yet, the deadline not passed
    overdue: int = 0  # not done yet, past the deadline
    due_in_month: int = 0  # still open, falling due in the month judged (home page)

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.open + self.overdue

    @property
    def is_quota(self) -> bool:
        return False

    @property
    def requirement(self) -> str:
        return requirement(self.rule)


@dataclass
class Compliance:
    unit: AdministrativeUnit | None  # None: every unit (the reminders)
    start: datetime.date
    end: datetime.date
    today: datetime.date
    quotas: list[QuotaLine]
    deadlines: list[DeadlineLine]

    @property
    def as_of(self) -> datetime.date:
        return min(self.end, self.today)

    @property
    def lines(self) -> list:
        """Every rule's line in the rules' order."""
        return sorted(
            [*self.quotas, *self.deadlines], key=lambda line: (line.rule.order, line.rule.pk)
        )

    @property
    def has_rules(self) -> bool:
        return bool(self.quotas or self.deadlines)


@dataclass(frozen=True)
class _Start:
    """What RuleBook needs of a session to find its deadline."""

    level: str
    kind: str
    start_date: datetime.date


def compliance(
    *,
    unit: AdministrativeUnit | None,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
    book: RuleBook | None = None,
    measures=None,
    with_heads: bool = True,
    with_sessions: bool = True,
    groups: list[tuple] | None = None,
) -> Compliance:
    """The rules in force in [start, end] for the unit's scope (or for every unit), each with
    what was required, done and missed. `measures` limits the rules looked at; `groups` are
    the period's session_groups when they were read already (over [start, end] or more)."""
    today = today or timezone.localdate()
    as_of = min(end, today)
    book = book or RuleBook.load(as_of)
    levels = LEVELS[LEVELS.index(unit.level) :] if unit is not None else LEVELS
    rules = [
        rule
        for rule in book.rules
        if rule.level in levels
        and _in_force(rule, start, end)
        and (measures is None or rule.measure in measures)
    ]
    quota_rules = [rule for rule in rules if rule.is_quota]
    deadline_rules = [rule for rule in rules if rule.measure in DEADLINES]
    quotas = _quotas(
        unit, quota_rules, start, end, as_of, with_heads=with_heads, with_sessions=with_sessions
    )
    deadlines = _deadlines(unit, deadline_rules, book, start, end, today, groups)
    return Compliance(
        unit=unit, start=start, end=end, today=today, quotas=quotas, deadlines=deadlines
    )


# --- quotas ------------------------------------------------------------------------------------


def _buckets(rule: Obligation, start: datetime.date, end: datetime.date):
    """The calendar months (or years) of the period the rule asks something for."""
    if rule.measure == Measure.PER_MONTH:
        spans = [(first, month_end(first)) for first in months_between(start, end)]
    else:
        spans = [
            (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            for year in range(start.year, end.year + 1)
        ]
    return [(first, last) for first, last in spans if _in_force(rule, first, last)]


def _quotas(unit, rules, start, end, as_of, *, with_heads, with_sessions) -> list[QuotaLine]:
    if not rules:
        return []
    units = (
        AdministrativeUnit.objects.all()
        if unit is None
        else AdministrativeUnit.objects.within(unit)
    )
    kinds = [kind for rule in rules for kind in kinds_at_level(rule.level)]
    units = list(
        units.filter(kind__in=kinds)
        .annotate(started_on=Min("predecessions__effective_on"))
        .order_by("path")
    )
    holders = defaultdict(list)
    positions = {rule.position_id for rule in rules if rule.position_id}
    if with_heads and positions and units:
        found = (
            OfficeHolder.objects.filter(unit__in=[u.pk for u in units], position_id__in=positions)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start), start_date__lte=end)
            .select_related("person", "position")
            .order_by("start_date", "pk")
        )
        for holder in found:
            holders[(holder.unit_id, holder.position_id)].append(holder)
    found = []  # (rule, its rows by unit, the first day it counts from)
    for rule in rules:
        spans = _buckets(rule, start, end)
        rows = {}
        for candidate in units:
            if candidate.level != rule.level:
                continue
            buckets = []
            for first, last in spans:
                if not _exists(
                    candidate, max(first, rule.valid_from), min(last, rule.valid_to or last)
                ):
                    continue
                over = last <= as_of
                heads = tuple(
                    f"{holder.person.full_name} ({holder.position.name})"
                    for holder in holders.get((candidate.pk, rule.position_id), ())
                    if holder.start_date <= last
                    and (holder.end_date is None or holder.end_date >= first)
                )
                buckets.append(
                    Bucket(
                        first=first, last=last, required=rule.number, over=over,
                        days_left=0 if over else (last - as_of).days, heads=heads,
                    )
                )  # fmt: skip
            if buckets:
                rows[candidate.pk] = UnitQuota(unit=candidate, buckets=buckets)
        if rows:
            first_day = min(bucket.first for row in rows.values() for bucket in row.buckets)
            found.append((rule, rows, first_day))
    if not found:
        return []
    # Every rule's sessions in one query, each row saying which rules it counts for.
    counted = _counted_sessions(
        unit, [rule for rule, _rows, _first in found], min(first for *_rest, first in found), end
    )
    for pk, host_id, day, topic, *counts_for in counted:
        for (_rule, rows, first_day), counts in zip(found, counts_for, strict=True):
            row = rows.get(host_id)
            if not counts or row is None or day < first_day:
                continue
            for bucket in row.buckets:
                if bucket.first <= day <= bucket.last:
                    bucket.days.add(day)
                    if with_sessions:
                        row.sessions.append(Counted(pk=pk, day=day, topic=topic))
    return [QuotaLine(rule=rule, units=list(rows.values())) for rule, rows, _first in found]


def counted_sessions(rule: Obligation, sessions=None):
    """The sessions that count towards a quota rule: held, of its level and kind, and chaired
    by the holder of its office in the host unit when it names one."""
    sessions = (Session.objects.all() if sessions is None else sessions).held()
    return sessions.filter(_counts_for(rule))


def _counts_for(rule: Obligation) -> Q:
    """A held session counts for the rule: of its level and kind, chaired by its office."""
    condition = Q(level=rule.level)
    if rule.session_kind:
        condition &= Q(kind=rule.session_kind)
    if rule.position_id:
        chairs = Session.chairs.through.objects.filter(
            session_id=OuterRef("pk"),
            officeholder__position_id=rule.position_id,
            officeholder__unit_id=OuterRef("host_unit_id"),
        )
        condition &= Exists(chairs)
    return condition


def _counted_sessions(unit, rules, first, last):
    """(pk, host, day, topic, counts for rule 1, for rule 2, …): the held sessions of the
    period in the unit's scope that count for any of the rules, in one query."""
    scope = Session.objects.all() if unit is None else Session.objects.within(unit)
    conditions = [_counts_for(rule) for rule in rules]
    flags = {
        f"counts_{index}": ExpressionWrapper(condition, output_field=BooleanField())
        for index, condition in enumerate(conditions)
    }
    any_rule = Q()
    for condition in conditions:
        any_rule |= condition
    return (
        scope.held()
        .starting_between(first, last)
        .filter(any_rule)
        .annotate(day=TruncDate("starts_at", tzinfo=timezone.get_default_timezone()), **flags)
        .order_by("starts_at", "pk")
        .values_list("pk", "host_unit_id", "day", "topic", *flags)
    )


# --- deadlines ---------------------------------------------------------------------------------


def session_groups(unit, start: datetime.date, end: datetime.date) -> list[tuple]:
    """The sessions of the unit's scope (every unit's when None) starting in [start, end], not
    cancelled, counted by (level, kind, day, status, notice date, results published on): one
    grouped query that the deadlines and, on the home page, the count by kind both read."""
    scope = Session.objects.all() if unit is None else Session.objects.within(unit)
    return list(
        scope.starting_between(start, end)
        .exclude(status=SessionStatus.CANCELLED)
        .annotate(day=TruncDate("starts_at", tzinfo=timezone.get_default_timezone()))
        .values_list("level", "kind", "day", "status", "notice_date", "results_published_on")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _deadlines(unit, rules, book, start, end, today, groups=None) -> list[DeadlineLine]:
    if not rules:
        return []
    lines = {rule.pk: DeadlineLine(rule=rule) for rule in rules}
    month_last = month_end(today)
    tz = timezone.get_default_timezone()
    measures = {rule.measure for rule in rules}

    def tally(measure, level, kind, day, done_on, count):
        rule = book.rule(measure, level=level, kind=kind, on=day)
        line = lines.get(rule.pk) if rule else None
        if line is None:
            return
        started = _Start(level, kind, day)
        due = {
            Measure.ANNOUNCE_BEFORE: book.announce_by,
            Measure.PUBLISH_AFTER: book.publish_by,
            Measure.ACKNOWLEDGE_AFTER: lambda s: book.acknowledge_by(None, session=s),
        }[measure](started)
        if done_on is not None:
            if done_on <= due:
                line.on_time += count
            else:
                line.late += count
        elif due < today:
            line.overdue += count
        else:
            line.open += count
            if due <= month_last:
                line.due_in_month += count

    scope = Session.objects.all() if unit is None else Session.objects.within(unit)
    sessions = scope.starting_between(start, end).exclude(status=SessionStatus.CANCELLED)
    if measures & {Measure.ANNOUNCE_BEFORE, Measure.PUBLISH_AFTER}:
        if groups is None:
            groups = session_groups(unit, start, end)
        for level, kind, day, status, notice, published, count in groups:
            if not start <= day <= end:
                continue
            if Measure.ANNOUNCE_BEFORE in measures:
                tally(Measure.ANNOUNCE_BEFORE, level, kind, day, notice, count)
            if Measure.PUBLISH_AFTER in measures and status == SessionStatus.HELD:
                tally(Measure.PUBLISH_AFTER, level, kind, day, published, count)
    if Measure.ACKNOWLEDGE_AFTER in measures:
        rows = (
            Opinion.objects.filter(session__in=sessions.held().values("pk"))
            .annotate(day=TruncDate("session__starts_at", tzinfo=tz))
            .values_list("session__level", "session__kind", "day", "acknowledged_on")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for level, kind, day, told, count in rows:
            tally(Measure.ACKNOWLEDGE_AFTER, level, kind, day, told, count)
    return [lines[rule.pk] for rule in rules]


def requirement(rule: Obligation) -> str:
    """What a rule asks, in words, with its number from the row."""
    n = rule.number
    if rule.measure == Measure.PER_MONTH:
        text = ngettext("at least %(n)s day a month", "at least %(n)s days a month", n)
    elif rule.measure == Measure.PER_YEAR:
        text = ngettext("at least %(n)s time a year", "at least %(n)s times a year", n)
    elif rule.measure == Measure.ANNOUNCE_BEFORE:
        text = ngettext(
            "announced at least %(n)s day before", "announced at least %(n)s days before", n
        )
    elif rule.measure == Measure.PUBLISH_AFTER:
        text = ngettext(
            "results made public within %(n)s day after",
            "results made public within %(n)s days after",
            n,
        )
    else:
        text = ngettext(
            "each author told within %(n)s day after", "each author told within %(n)s days after", n
        )
    text %= {"n": n}
    if rule.working_days:
        text += " " + _("(working days)")
    return text


# How far around the month the home page looks for sessions whose deadlines fall in it.
DEADLINE_REACH = datetime.timedelta(days=45)


def deadline_reach(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days whose sessions due_this_month looks at for deadlines."""
    return today.replace(day=1) - DEADLINE_REACH, month_end(today) + DEADLINE_REACH


def due_this_month(*, unit: AdministrativeUnit, today: datetime.date | None = None, groups=None):
    """What falls due this month in the unit's scope: the monthly quotas (done so far, days
    left) and the deadlines still open that fall due by the month's end, with those overdue.
    None when no rule is in force. `groups`: session_groups over deadline_reach(today) or more,
    when read already."""
    today = today or timezone.localdate()
    first, last = today.replace(day=1), month_end(today)
    book = RuleBook.load(today)
    quotas = compliance(
        unit=unit, start=first, end=last, today=today, book=book, measures=(Measure.PER_MONTH,),
        with_heads=False, with_sessions=False,
    )  # fmt: skip
    reach_start, reach_end = deadline_reach(today)
    deadlines = compliance(
        unit=unit, start=reach_start, end=reach_end, today=today, book=book, measures=DEADLINES,
        groups=groups,
    )  # fmt: skip
    if not quotas.has_rules and not deadlines.has_rules:
        return None
    return Compliance(
        unit=unit, start=first, end=last, today=today, quotas=quotas.quotas,
        deadlines=[line for line in deadlines.deadlines if line.due_in_month or line.overdue],
    )  # fmt: skip
