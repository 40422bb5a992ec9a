"""How far a plan's targets are met, computed from the sessions only, never typed in.

For each target the user may see: `held` counts the plan's sessions hosted by the target's unit,
at the target's level, held, and starting (in Vietnam's time) within the target's period.
A target is covered when held >= sessions required. Commune-level targets are summed up as
units covered ("25/30 communes and towns"), higher levels as sessions ("3/3 sessions").

Two queries whatever the number of units: the targets, and the plan's sessions grouped by
host, level, status and day. The dashboard uses `plan_coverage()`; the report counts a period's
targets of several plans with `count_held()`, the same rule.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, UnitLevel

from .models import SCHEDULED, Plan, PlanTarget, Session, SessionStatus


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        following = self.next()
        return following.start - datetime.timedelta(days=1)

    def next(self) -> "Quarter":
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        return _("Q%(quarter)s/%(year)s") % {"quarter": self.number, "year": self.year}


def quarters_between(start: datetime.date, end: datetime.date) -> list[Quarter]:
    quarters, quarter, last = [], Quarter.of(start), Quarter.of(end)
    while (quarter.year, quarter.number) <= (last.year, last.number):
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters


@dataclass
class Cell:
    """The sessions of one target's unit and level in one quarter."""

    quarter: Quarter
    held: int = 0
    scheduled: int = 0


@dataclass
class TargetCoverage:
    target: PlanTarget
    held: int = 0
    scheduled: int = 0
    cells: list[Cell] = field(default_factory=list)

    @property
    def unit(self) -> AdministrativeUnit:
        return self.target.unit

    @property
    def required(self) -> int:
        return self.target.sessions_required

    @property
    def covered(self) -> bool:
        return self.held >= self.required

    @property
    def missing(self) -> int:
        return max(self.required - self.held, 0)


@dataclass
class LevelCoverage:
    level: str
    rows: list[TargetCoverage] = field(default_factory=list)

    @property
    def label(self) -> str:
        return UnitLevel(self.level).label

    @property
    def counts_units(self) -> bool:
        """Commune level is counted in units covered; higher levels in sessions held."""
        return self.level == UnitLevel.COMMUNE

    @property
    def units_with_target(self) -> int:
        return len({row.target.unit_id for row in self.rows})

    @property
    def uncovered_units(self) -> list[AdministrativeUnit]:
        """Units with at least one target at this level not yet met, in tree order."""
        seen, units = set(), []
        for row in self.rows:
            if not row.covered and row.target.unit_id not in seen:
                seen.add(row.target.unit_id)
                units.append(row.unit)
        return units

    @property
    def units_covered(self) -> int:
        return self.units_with_target - len(self.uncovered_units)

    @property
    def sessions_required(self) -> int:
        return sum(row.required for row in self.rows)

    @property
    def sessions_held(self) -> int:
        return sum(row.held for row in self.rows)

    @property
    def done(self) -> int:
        return self.units_covered if self.counts_units else self.sessions_held

    @property
    def total(self) -> int:
        return self.units_with_target if self.counts_units else self.sessions_required

    @property
    def complete(self) -> bool:
        return not self.uncovered_units

    @property
    def headline(self) -> str:
        if self.counts_units:
            return _("%(covered)s/%(total)s communes and towns") % {
                "covered": self.units_covered,
                "total": self.units_with_target,
            }
        return _("%(held)s/%(required)s sessions") % {
            "held": self.sessions_held,
            "required": self.sessions_required,
        }


@dataclass
class Coverage:
    plan: Plan
    quarters: list[Quarter]
    levels: list[LevelCoverage]

    def level(self, level: str) -> LevelCoverage | None:
        return next((lc for lc in self.levels if lc.level == level), None)

    @property
    def rows(self) -> list[TargetCoverage]:
        """Every target's row, all levels together, in tree order."""
        return sorted(
            (row for lc in self.levels for row in lc.rows),
            key=lambda row: (row.unit.path, row.target.level, row.target.period_start),
        )


def session_day_counts(sessions) -> dict:
    """{(plan id, host unit id, level): [(local day, status, count), …]} in one grouped query."""
    rows = (
        sessions.annotate(day=TruncDate("starts_at", tzinfo=timezone.get_default_timezone()))
        .values("plan_id", "host_unit_id", "level", "status", "day")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = defaultdict(list)
    for row in rows:
        key = (row["plan_id"], row["host_unit_id"], row["level"])
        counts[key].append((row["day"], row["status"], row["count"]))
    return counts


def count_held(target: PlanTarget, counts: dict, *, first=None, last=None) -> int:
    """What counts towards a target, the one rule: the sessions of its plan hosted by its unit,
    at its level, held, starting (in Vietnam's time) within its period, and within
    [first, last] when a report asks about part of that period."""
    first = max(target.period_start, first or target.period_start)
    last = min(target.period_end, last or target.period_end)
    return sum(
        count
        for day, status, count in counts.get((target.plan_id, target.unit_id, target.level), ())
        if status == SessionStatus.HELD and first <= day <= last
    )


def visible_targets(user):
    """The plan targets in the user's scope, in the order coverage lists them."""
    return (
        PlanTarget.objects.visible_to(user)
        .select_related("unit")
        .order_by("unit__path", "level", "period_start")
    )


def plan_coverage(plan: Plan, *, user, targets=None) -> Coverage:
    """The coverage of a plan's targets within the user's scope, from its sessions; `targets`
    when they were read already (visible_targets, of this plan)."""
    quarters = quarters_between(plan.period_start, plan.period_end)
    if targets is None:
        targets = list(visible_targets(user).filter(plan=plan))
    counts = {}
    if targets:
        counts = session_day_counts(
            Session.objects.visible_to(user).filter(
                plan=plan, status__in=[SessionStatus.HELD, *SCHEDULED]
            )
        )

    levels = {level: LevelCoverage(level) for level in UnitLevel.values}
    for target in targets:
        row = TargetCoverage(
            target, held=count_held(target, counts), cells=[Cell(q) for q in quarters]
        )
        for day, status, count in counts.get((plan.pk, target.unit_id, target.level), ()):
            if status != SessionStatus.HELD and target.period_start <= day <= target.period_end:
                row.scheduled += count
            for cell in row.cells:
                if day in cell.quarter:
                    if status == SessionStatus.HELD:
                        cell.held += count
                    else:
                        cell.scheduled += count
        levels[target.level].rows.append(row)
    return Coverage(
        plan=plan,
        quarters=quarters,
        levels=[lc for lc in levels.values() if lc.rows],
    )
