"""Every figure a report prints, computed from the records of a unit's subtree for a period.

Counted: the sessions held, starting (in Vietnam's time) from `start` to `end`, hosted by the unit
or a unit below it, and the opinions raised at those sessions, each in the status its timeline
gives at the end of the period (`as_of`: the period's last day, or today while it runs), never
today's status: a past period's report says what was true on its last day. Opinions marked as
duplicates are counted apart, never in totals or rates. The opinions the unit's residents raised at
sessions hosted above it (a district's or province's) are counted on their own. Coverage counts,
for each target overlapping the period, the held sessions of its plan, unit and level from the
start of the target's period up to the report's end. The session list is part of the figures, so
every printed number can be traced back to the sessions behind it.

A fixed number of queries whatever the number of sessions and opinions: grouped counts and
aggregates (each opinion's state at the end of the period is a subquery on its timeline), and one
list of sessions with their chairs prefetched.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, OfficeHolder, UnitLevel
from dialogues.coverage import LevelCoverage, TargetCoverage, count_held, session_day_counts
from dialogues.models import CURRENT_KINDS, PlanTarget, Session, SessionKind, SessionStatus
from feedback.models import Opinion, OpinionStatus, all_fields

from .periods import period_kind_of, period_label, previous_period

# Highest level first: a province's report lists its own sessions before its districts'.
LEVELS = [UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE]
OVERDUE_CONTENT_CHARS = 120


def half_up(value, places: int = 1) -> float:
    """Rounded to `places` decimals, exactly halfway away from zero (6,25 → 6,3), as Vietnamese
    reports round; Python's round() goes to the even digit and float error (6,2). The one rounding
    of every share and change a report, its charts or the home page prints."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percent(part: int, whole: int) -> float | None:
    """A share in percent to one decimal, half up; None when there is nothing to share."""
    return half_up(Decimal(100 * part) / Decimal(whole)) if whole else None


@dataclass(frozen=True)
class SessionRow:
    pk: int
    starts_at: datetime.datetime  # local time
    level: str
    host: str
    residents_of: tuple[str, ...]
    topic: str
    venue: str
    chairs: tuple[str, ...]  # "Name (position)"
    residents: int | None
    cadres: int | None
    opinions: int
    kind: str = ""

    @property
    def day(self) -> datetime.date:
        return self.starts_at.date()


@dataclass(frozen=True)
class LevelCount:
    level: str
    label: str
    count: int


@dataclass(frozen=True)
class KindCount:
    """The sessions of one kind: each kind counts separately (issue 12)."""

    kind: str
    label: str
    count: int


def kind_counts(counts: dict) -> tuple[KindCount, ...]:
    """Today's kinds always (zeros included), in their order; the 2019 kinds only when some
    session of the period has them."""
    return tuple(
        KindCount(kind.value, str(kind.label), counts.get(kind, 0))
        for kind in SessionKind
        if kind in CURRENT_KINDS or counts.get(kind, 0)
    )


def session_kind_counts(sessions) -> tuple[KindCount, ...]:
    """The sessions of a queryset by kind, in one grouped query."""
    return kind_counts(dict(sessions.values_list("kind").annotate(n=Count("pk")).order_by()))


@dataclass(frozen=True)
class CoverageLine:
    """One level's coverage: units covered (commune level) or sessions held (higher levels)."""

    level: str
    label: str
    headline: str  # "25/30 xã, thị trấn", "3/3 cuộc"
    done: int
    total: int
    uncovered: tuple[str, ...]  # names of the units not yet covered, in tree order


@dataclass(frozen=True)
class Tally:
    key: object
    label: str
    count: int
    percent: float | None


@dataclass(frozen=True)
class OverdueRow:
    pk: int
    content: str
    unit: str
    agency: str
    deadline: datetime.date
    days_late: int
    code: str = ""  # the opinion's readable code, printed instead of its database id


@dataclass(frozen=True)
class Headline:
    sessions: int
    opinions: int
    answered_percent: float | None
    resolution_rate: float | None


@dataclass(frozen=True)
class Change:
    label: str
    current: float | None
    previous: float | None
    is_percent: bool

    @property
    def delta(self) -> float | None:
        """Current minus previous; for shares, in percentage points."""
        if self.current is None or self.previous is None:
            return None
        if not self.is_percent:
            return self.current - self.previous
        return half_up(Decimal(str(self.current)) - Decimal(str(self.previous)))


@dataclass(frozen=True)
class Comparison:
    start: datetime.date
    end: datetime.date
    label: str
    headline: Headline
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ReportFigures:
    unit: AdministrativeUnit
    start: datetime.date
    end: datetime.date
    kind: str
    as_of: datetime.date  # overdue is judged on this day
    sessions: tuple[SessionRow, ...]
    sessions_by_level: tuple[LevelCount, ...]
    coverage: tuple[CoverageLine, ...]
    opinions: int
    by_field: tuple[Tally, ...]
    by_status: tuple[Tally, ...]
    answered: int
    answered_percent: float | None
    forwarded: int
    resolved: int
    resolution_rate: float | None
    overdue: tuple[OverdueRow, ...]
    previous: Comparison
    sessions_by_kind: tuple[KindCount, ...] = ()
    duplicates: int = 0  # marked as duplicates by the end of the period: counted apart
    raised_above: "RaisedAbove | None" = None  # residents' opinions at higher-level sessions

    @property
    def sessions_held(self) -> int:
        return len(self.sessions)

    @property
    def residents_total(self) -> int:
        return sum(row.residents or 0 for row in self.sessions)

    @property
    def cadres_total(self) -> int:
        return sum(row.cadres or 0 for row in self.sessions)

    @property
    def headline(self) -> Headline:
        return Headline(
            self.sessions_held, self.opinions, self.answered_percent, self.resolution_rate
        )


@dataclass(frozen=True)
class Summary:
    """What the home page shows of a period: the report's headline figures, without its lists."""

    sessions_held: int
    tallies: "Tallies"
    sessions_by_kind: tuple[KindCount, ...] = ()

    @property
    def opinions(self) -> int:
        return self.tallies.total

    @property
    def answered_percent(self) -> float | None:
        return self.tallies.answered_percent

    @property
    def by_field(self) -> tuple[Tally, ...]:
        return self.tallies.by_field

    @property
    def by_status(self) -> tuple[Tally, ...]:
        return self.tallies.by_status


def period_summary(
    *,
    unit: AdministrativeUnit,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
    groups: list[tuple] | None = None,
):
    """The same counts as report_figures, in two queries (sessions by kind, opinions; the
    fields are reference rows). `groups`: the sessions counted by (level, kind, day, status, …)
    over the period or more (obligations.compliance.session_groups), when read already."""
    held = held_sessions(unit, start, end)
    if groups is None:
        # Counted by kind in the same query: every session has one kind.
        by_kind = session_kind_counts(held)
    else:
        kinds = defaultdict(int)
        for _level, kind, day, status, *_dates, count in groups:
            if status == SessionStatus.HELD and start <= day <= end:
                kinds[kind] += count
        by_kind = kind_counts(dict(kinds))
    return Summary(
        sessions_held=sum(line.count for line in by_kind),
        tallies=opinion_tallies(
            Opinion.objects.filter(session__in=held.values("pk")), as_of=_as_of(end, today)
        ),
        sessions_by_kind=by_kind,
    )


def _as_of(end: datetime.date, today: datetime.date | None) -> datetime.date:
    """The day a period's figures are taken on: its last day, or today while it runs."""
    return min(end, today or timezone.localdate())


def held_sessions(unit: AdministrativeUnit, start: datetime.date, end: datetime.date):
    """The sessions a report counts: held, hosted in the unit's subtree, starting in the period."""
    return Session.objects.within(unit).held().starting_between(start, end)


def report_figures(
    *,
    unit: AdministrativeUnit,
    start: datetime.date,
    end: datetime.date,
    kind: str | None = None,
    today: datetime.date | None = None,
) -> ReportFigures:
    kind = kind or period_kind_of(start, end)
    as_of = _as_of(end, today)
    held = held_sessions(unit, start, end)
    sessions = _session_rows(held)
    opinions = Opinion.objects.filter(session__in=held.values("pk"))
    totals = opinion_tallies(opinions, as_of=as_of)

    previous_start, previous_end = previous_period(start, end, kind)
    previous_held = held_sessions(unit, previous_start, previous_end)
    previous_totals = opinion_tallies(
        Opinion.objects.filter(session__in=previous_held.values("pk")),
        as_of=_as_of(previous_end, today),
        with_fields=False,
    )
    current = Headline(len(sessions), totals.total, totals.answered_percent, totals.resolution_rate)
    previous = Headline(
        previous_held.count(),
        previous_totals.total,
        previous_totals.answered_percent,
        previous_totals.resolution_rate,
    )
    return ReportFigures(
        unit=unit,
        start=start,
        end=end,
        kind=kind,
        as_of=as_of,
        sessions=sessions,
        sessions_by_level=_by_level(unit, sessions),
        coverage=_coverage(unit, start, end, today=today),
        opinions=totals.total,
        by_field=totals.by_field,
        by_status=totals.by_status,
        answered=totals.answered,
        answered_percent=totals.answered_percent,
        forwarded=totals.forwarded,
        resolved=totals.resolved,
        resolution_rate=totals.resolution_rate,
        overdue=_overdue(opinions, as_of),
        duplicates=totals.duplicates,
        raised_above=_raised_above(unit, held, start, end, as_of),
        previous=Comparison(
            start=previous_start,
            end=previous_end,
            label=period_label(kind, start=previous_start, end=previous_end),
            headline=previous,
            changes=_changes(current, previous),
        ),
        sessions_by_kind=kind_counts(_count_by(sessions, "kind")),
    )


def _session_rows(held) -> tuple[SessionRow, ...]:
    chairs = OfficeHolder.objects.select_related("person", "position").order_by(
        "position__order", "person__full_name"
    )
    sessions = (
        held.select_related("host_unit")
        .prefetch_related(
            Prefetch("chairs", queryset=chairs),
            Prefetch("attending_units", queryset=AdministrativeUnit.objects.order_by("path")),
        )
        .annotate(opinion_count=Count("opinions", distinct=True))
        .order_by("starts_at", "pk")
    )
    return tuple(
        SessionRow(
            pk=session.pk,
            starts_at=timezone.localtime(session.starts_at),
            level=session.level,
            host=session.host_unit.full_name,
            residents_of=tuple(
                unit.in_sentence
                for unit in session.attending_units.all()
                if unit.pk != session.host_unit_id
            ),
            topic=session.topic,
            venue=session.venue,
            chairs=tuple(
                f"{chair.person.full_name} ({chair.position.name})"
                for chair in session.chairs.all()
            ),
            residents=session.attendance_residents,
            cadres=session.attendance_cadres,
            opinions=session.opinion_count,
            kind=session.kind,
        )
        for session in sessions
    )


def _count_by(rows, attribute: str) -> dict:
    counts = defaultdict(int)
    for row in rows:
        counts[getattr(row, attribute)] += 1
    return counts


def _by_level(unit, sessions) -> tuple[LevelCount, ...]:
    """The unit's own level and those below it; a level in between only when it has sessions."""
    counts = defaultdict(int)
    for row in sessions:
        counts[row.level] += 1
    levels = LEVELS[LEVELS.index(unit.level) :]
    return tuple(
        LevelCount(level, str(UnitLevel(level).label), counts[level])
        for level in levels
        if counts[level] or level in (unit.level, UnitLevel.COMMUNE)
    )


def _coverage(unit, start, end, *, today=None) -> tuple[CoverageLine, ...]:
    """Each target overlapping the period, against the sessions held from the start of the
    target's period up to the report's end: a commune that held its yearly session in the first
    quarter is covered in the second quarter's report too."""
    targets = list(
        PlanTarget.objects.within(unit)
        .filter(period_start__lte=end, period_end__gte=start)
        .select_related("unit")
        .order_by("unit__path", "level", "period_start")
    )
    if not targets:
        return ()
    first = min(target.period_start for target in targets)
    counts = session_day_counts(
        held_sessions(unit, first, end).filter(plan_id__in={target.plan_id for target in targets})
    )
    levels = {level: LevelCoverage(level) for level in LEVELS}
    for target in targets:
        held = count_held(target, counts, last=end)
        levels[target.level].rows.append(TargetCoverage(target, held=held))
    return tuple(
        CoverageLine(
            level=level.level,
            label=str(level.label),
            headline=level.headline,
            done=level.done,
            total=level.total,
            uncovered=tuple(unit.name for unit in level.uncovered_units),
        )
        for level in levels.values()
        if level.rows
    )


@dataclass(frozen=True)
class Tallies:
    """The opinions of a period counted every way a report prints them, from one grouped query."""

    total: int  # duplicates left out
    answered: int
    forwarded: int  # sent to an agency, whatever happened next
    resolved: int  # among those forwarded
    by_field: tuple[Tally, ...]
    by_status: tuple[Tally, ...]  # every status but duplicate
    duplicates: int = 0

    @property
    def answered_percent(self) -> float | None:
        return percent(self.answered, self.total)

    @property
    def resolution_rate(self) -> float | None:
        return percent(self.resolved, self.forwarded)


# The statuses a report tabulates; duplicates are counted apart.
COUNTED_STATUSES = [status for status in OpinionStatus if status != OpinionStatus.DUPLICATE]


def opinion_tallies(opinions, *, as_of: datetime.date, with_fields: bool = True) -> Tallies:
    """Counts by field and status (and the totals) in one query, plus the list of fields, each
    opinion in its state at the end of `as_of` by its timeline. Duplicates are counted apart."""
    rows = (
        opinions.on_day(as_of)
        .values_list("field_id", "status_on")
        .annotate(n=Count("pk"), forwarded=Count("pk", filter=Q(agency_on__isnull=False)))
        .order_by()
    )
    by_field, by_status = defaultdict(int), defaultdict(int)
    total = answered = forwarded = resolved = duplicates = 0
    for field_id, status, n, sent in rows:
        if status == OpinionStatus.DUPLICATE:
            duplicates += n
            continue
        total += n
        by_field[field_id] += n
        by_status[status] += n
        forwarded += sent
        answered += n if status == OpinionStatus.ANSWERED else 0
        resolved += sent if status == OpinionStatus.RESOLVED else 0
    return Tallies(
        total=total,
        answered=answered,
        forwarded=forwarded,
        resolved=resolved,
        by_field=_by_field(by_field, total) if with_fields else (),
        by_status=tuple(
            Tally(
                status.value,
                str(status.label),
                by_status[status],
                percent(by_status[status], total),
            )
            for status in COUNTED_STATUSES
        ),
        duplicates=duplicates,
    )


def _by_field(counts, total) -> tuple[Tally, ...]:
    """Every active field in the list's order, zeros included; retired ones only if used."""
    fields = [field for field in all_fields() if field.is_active or field.pk in counts]
    return tuple(
        Tally(
            field.pk, field.name, counts.get(field.pk, 0), percent(counts.get(field.pk, 0), total)
        )
        for field in fields
    )


def _overdue(opinions, as_of) -> tuple[OverdueRow, ...]:
    """Overdue at the end of `as_of` by the timelines, with the agency and deadline of that day:
    an opinion answered the week after still counts as overdue on the period's last day."""
    rows = opinions.overdue_on(as_of).select_related("unit").order_by("deadline_on", "pk")
    return tuple(
        OverdueRow(
            pk=opinion.pk,
            code=opinion.code,
            content=Truncator(opinion.content).chars(OVERDUE_CONTENT_CHARS),
            unit=opinion.unit.in_sentence,
            agency=opinion.agency_name_on or "",
            deadline=opinion.deadline_on,
            days_late=(as_of - opinion.deadline_on).days,
        )
        for opinion in rows
    )


@dataclass(frozen=True)
class RaisedAbove:
    """What the unit's residents raised at sessions hosted above it (a district's or province's
    session they attended), in the period: printed on its own lines, not in the unit's totals."""

    sessions: int
    tallies: Tallies

    @property
    def opinions(self) -> int:
        return self.tallies.total


def _raised_above(unit, held, start, end, as_of) -> RaisedAbove | None:
    """The opinions of the unit's residents (its own or its predecessors', see
    communes/scope.py) raised at held sessions of the period outside the unit's own subtree."""
    opinions = Opinion.objects.within(unit).filter(
        session__in=Session.objects.held()
        .starting_between(start, end)
        .exclude(pk__in=held.values("pk"))
        .values("pk")
    )
    tallies = opinion_tallies(opinions, as_of=as_of, with_fields=False)
    if not tallies.total and not tallies.duplicates:
        return None
    return RaisedAbove(sessions=opinions.values("session_id").distinct().count(), tallies=tallies)


def _changes(current: Headline, previous: Headline) -> tuple[Change, ...]:
    return (
        Change(_("Sessions held"), current.sessions, previous.sessions, is_percent=False),
        Change(_("Opinions raised"), current.opinions, previous.opinions, is_percent=False),
        Change(
            _("Answered at the session (%)"),
            current.answered_percent,
            previous.answered_percent,
            is_percent=True,
        ),
        Change(
            _("Resolved among those forwarded (%)"),
            current.resolution_rate,
            previous.resolution_rate,
            is_percent=True,
        ),
    )
