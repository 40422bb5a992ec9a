"""Reorganisations of administrative units (mergers, splits), applied in one step from data.

`reorganisation_apply` reads a mapping (CSV: successor, its kind and parent, predecessor, whole
or part), checks all of it and refuses it as a whole with every problem listed by line, then, in
one transaction: creates the successor units, links each predecessor to its successor(s), ends
the old units (inactive, names kept), moves hamlets, ends office holders' terms, and moves what
is still open: users, targets of running plans, opinions waiting for an answer (with their
agency mapped by a second file, or left for board staff to route). Every step says what it
changed; a dry run does the same work and rolls it back, so it prints exactly what would change.
Applying the same mapping again finds everything done and changes nothing.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import (
    AdministrativeUnit,
    Agency,
    Hamlet,
    OfficeHolder,
    Succession,
    SuccessionShare,
    UnitKind,
)

MAPPING_COLUMNS = [
    "successor_code",
    "successor",
    "kind",
    "parent_code",
    "predecessor_code",
    "predecessor",
    "share",
]
AGENCY_COLUMNS = ["old_agency", "new_agency", "new_short_name", "new_unit_code"]


class ReorganisationRefused(Exception):
    """The mapping cannot be applied; `problems` says why, one line each."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class MappingRow:
    line: int
    successor_code: str
    successor: str
    kind: str
    parent_code: str
    predecessor_code: str
    predecessor: str
    share: str


@dataclass
class ReorganisationResult:
    changes: list[str] = field(default_factory=list)
    # Opinions still waiting whose agency belonged to an ended unit and was not mapped.
    to_route: list[int] = field(default_factory=list)
    dry_run: bool = False


class _DryRun(Exception):
    pass


def _rows(text, columns):
    """The data lines of a CSV with a header, as (line number, dict); `#` lines are notes."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)]
    data = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not data:
        return [], [_("The file is empty.")]
    header_line, header = data[0]
    names = [name.strip() for name in next(csv.reader([header]))]
    if names != columns:
        return [], [
            _("Line %(line)d: the columns must be %(columns)s.")
            % {"line": header_line, "columns": ", ".join(columns)}
        ]
    rows, problems = [], []
    for number, line in data[1:]:
        values = [value.strip() for value in next(csv.reader([line]))]
        if len(values) != len(columns):
            problems.append(
                _("Line %(line)d: %(count)d values, expected %(expected)d.")
                % {"line": number, "count": len(values), "expected": len(columns)}
            )
            continue
        rows.append((number, dict(zip(columns, values, strict=True))))
    return rows, problems


def _read_mapping(text):
    raw, problems = _rows(text, MAPPING_COLUMNS)
    rows = []
    for number, values in raw:
        row = MappingRow(line=number, **values)
        if row.kind not in UnitKind.values:
            problems.append(
                _("Line %(line)d: unknown kind “%(kind)s” (one of %(kinds)s).")
                % {"line": number, "kind": row.kind, "kinds": ", ".join(UnitKind.values)}
            )
        if row.share not in SuccessionShare.values:
            problems.append(
                _("Line %(line)d: the last column must be “whole” or “part”, not “%(share)s”.")
                % {"line": number, "share": row.share}
            )
        if not row.successor_code or not row.successor or not row.predecessor_code:
            problems.append(
                _("Line %(line)d: successor code, successor name and predecessor code are needed.")
                % {"line": number}
            )
        rows.append(row)
    return rows, problems


def _check(rows, effective_on):
    """Every problem of the mapping against the units in the database, by line."""
    problems = []
    codes = {row.predecessor_code for row in rows} | {row.parent_code for row in rows}
    codes |= {row.successor_code for row in rows}
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=codes - {""})}
    successors = {}
    for row in rows:
        first = successors.setdefault(row.successor_code, row)
        if (first.successor, first.kind, first.parent_code) != (
            row.successor,
            row.kind,
            row.parent_code,
        ):
            problems.append(
                _("Line %(line)d: successor %(code)s is described differently on line %(first)d.")
                % {"line": row.line, "code": row.successor_code, "first": first.line}
            )
    for code, row in successors.items():
        existing = units.get(code)
        if existing and (existing.name, existing.kind) != (row.successor, row.kind):
            problems.append(
                _("Line %(line)d: code %(code)s already belongs to %(unit)s.")
                % {"line": row.line, "code": code, "unit": existing.full_name}
            )
        if row.parent_code and row.parent_code not in units and row.parent_code not in successors:
            problems.append(
                _("Line %(line)d: unknown parent unit %(code)s.")
                % {"line": row.line, "code": row.parent_code}
            )
    whole = {}
    for row in rows:
        unit = units.get(row.predecessor_code)
        if unit is None:
            problems.append(
                _("Line %(line)d: unknown unit %(code)s (%(name)s).")
                % {"line": row.line, "code": row.predecessor_code, "name": row.predecessor}
            )
            continue
        if row.predecessor and unit.name != row.predecessor:
            problems.append(
                _("Line %(line)d: unit %(code)s is %(unit)s, not “%(name)s”.")
                % {
                    "line": row.line,
                    "code": row.predecessor_code,
                    "unit": unit.full_name,
                    "name": row.predecessor,
                }
            )
        if row.predecessor_code == row.successor_code:
            problems.append(_("Line %(line)d: a unit cannot succeed itself.") % {"line": row.line})
        if unit.ended_on and unit.ended_on != effective_on:
            problems.append(
                _("Line %(line)d: %(unit)s already ended on %(day)s.")
                % {"line": row.line, "unit": unit.full_name, "day": f"{unit.ended_on:%d/%m/%Y}"}
            )
        if row.share == SuccessionShare.WHOLE:
            if row.predecessor_code in whole:
                problems.append(
                    _("Line %(line)d: %(unit)s is already mapped as a whole on line %(first)d.")
                    % {"line": row.line, "unit": unit.full_name, "first": whole[unit.code]}
                )
            whole.setdefault(unit.code, row.line)
    problems += _check_left_behind(rows, units, whole)
    return problems


def _check_agencies(agency_map, rows):
    known = {row.successor_code for row in rows}
    return [
        _("Agencies, line %(line)d: unknown unit %(code)s.") % {"line": line, "code": code}
        for _name, _short, code, line in agency_map.values()
        if code not in known and not AdministrativeUnit.objects.filter(code=code).exists()
    ]


def _check_left_behind(rows, units, whole):
    """Users who would have no unit, and active units left under an ended one."""
    problems = []
    ended = {row.predecessor_code for row in rows if row.predecessor_code in units}
    first_line = {}
    heirs = {}
    for row in rows:
        first_line.setdefault(row.predecessor_code, row.line)
        heirs.setdefault(row.predecessor_code, set()).add(row.successor_code)
    from accounts.models import User

    for code in sorted(ended):
        unit = units[code]
        if len(heirs[code]) > 1 and code not in whole:
            users = list(User.objects.filter(unit=unit).values_list("username", flat=True))
            if users:
                problems.append(
                    _(
                        "Line %(line)d: %(unit)s goes in part to several units and none as a "
                        "whole, so its users (%(users)s) would be left without a unit."
                    )
                    % {"line": first_line[code], "unit": unit.full_name, "users": ", ".join(users)}
                )
        if unit.ended_on is not None:
            continue  # ended by this reorganisation already: a second run changes nothing
        left = AdministrativeUnit.objects.get_children(unit).active().exclude(code__in=ended)
        names = [child.full_name for child in left[:5]]
        if names:
            problems.append(
                _("Line %(line)d: %(unit)s ends but units below it are not mapped: %(names)s.")
                % {"line": first_line[code], "unit": unit.full_name, "names": ", ".join(names)}
            )
    return problems


def _read_agencies(text):
    raw, problems = _rows(text, AGENCY_COLUMNS)
    mapping = {}
    for number, values in raw:
        if not Agency.objects.filter(name=values["old_agency"]).exists():
            problems.append(
                _("Agencies, line %(line)d: unknown agency “%(name)s”.")
                % {"line": number, "name": values["old_agency"]}
            )
        # The new agency's unit may be a successor the mapping creates: checked with the mapping.
        mapping[values["old_agency"]] = (
            values["new_agency"],
            values["new_short_name"],
            values["new_unit_code"],
            number,
        )
    return mapping, problems


def reorganisation_apply(
    *, mapping: str, decision: str, effective_on: datetime.date, agencies: str = "", dry_run=False
) -> ReorganisationResult:
    """Apply a reorganisation (see the module's docstring); raises ReorganisationRefused."""
    rows, problems = _read_mapping(mapping)
    agency_map, agency_problems = _read_agencies(agencies) if agencies.strip() else ({}, [])
    problems += agency_problems
    if not decision.strip():
        problems.append(_("The decision is needed."))
    if not problems:
        problems = _check(rows, effective_on) + _check_agencies(agency_map, rows)
    if problems:
        raise ReorganisationRefused(problems)
    result = ReorganisationResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            _apply(rows, decision.strip(), effective_on, agency_map, result)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _apply(rows, decision, effective_on, agency_map, result):
    say = result.changes.append
    by_code = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=_codes(rows))}
    # Successors, parents before children (a new province before its new communes).
    pending = {row.successor_code: row for row in rows}
    while pending:
        ready = [r for r in pending.values() if not r.parent_code or r.parent_code in by_code]
        for row in ready:
            del pending[row.successor_code]
            if row.successor_code in by_code:
                continue
            fields = {"name": row.successor, "kind": row.kind, "code": row.successor_code}
            if row.parent_code:
                parent = AdministrativeUnit.objects.get(pk=by_code[row.parent_code].pk)
                unit = AdministrativeUnit.objects.add_child(parent, create_kwargs=fields)
                say(_("Create %(unit)s (%(code)s) under %(parent)s.") % {
                    "unit": unit.full_name, "code": unit.code, "parent": parent.full_name,
                })  # fmt: skip
            else:
                unit = AdministrativeUnit.objects.add_root(create_kwargs=fields)
                say(_("Create %(unit)s (%(code)s).") % {"unit": unit.full_name, "code": unit.code})
            by_code[unit.code] = unit
    heirs = {}
    for row in rows:
        old, new = by_code[row.predecessor_code], by_code[row.successor_code]
        __, created = Succession.objects.get_or_create(
            predecessor=old, successor=new,
            defaults={"share": row.share, "decision": decision, "effective_on": effective_on},
        )  # fmt: skip
        if created:
            say(_("%(old)s → %(new)s (%(share)s, %(decision)s, %(day)s).") % {
                "old": old.full_name, "new": new.full_name,
                "share": SuccessionShare(row.share).label, "decision": decision,
                "day": f"{effective_on:%d/%m/%Y}",
            })  # fmt: skip
        if row.share == SuccessionShare.WHOLE or old.code not in heirs:
            heirs[old.code] = new
    for code, heir in heirs.items():
        old = AdministrativeUnit.objects.get(code=code)
        _end_unit(old, effective_on, say)
        _move_hamlets(old, heir, say)
        _end_terms(old, effective_on, say)
        _move_users(old, heir, say)
        _move_targets(old, heir, effective_on, say)
        _move_opinions(old, heir, by_code, agency_map, result)
    _move_agencies(agency_map, say)
    _refresh_inherited_paths(by_code, {row.successor_code for row in rows}, say)


def _codes(rows):
    return (
        {row.predecessor_code for row in rows}
        | {row.successor_code for row in rows}
        | {row.parent_code for row in rows if row.parent_code}
    )


def _end_unit(unit, effective_on, say):
    if unit.is_active or unit.ended_on is None:
        unit.is_active = False
        unit.ended_on = effective_on
        unit.save(update_fields=["is_active", "ended_on"])
        say(_("End %(unit)s on %(day)s.") % {
            "unit": unit.full_name, "day": f"{effective_on:%d/%m/%Y}",
        })  # fmt: skip


def _move_hamlets(old, heir, say):
    if heir.level != old.level:
        return
    taken = set(Hamlet.objects.filter(commune=heir).values_list("name", flat=True))
    for hamlet in Hamlet.objects.filter(commune=old).order_by("name"):
        name = hamlet.name
        if name in taken:
            # Two old communes each had a "Thôn Đông": the old commune's name tells them apart.
            name = f"{hamlet.name} ({old.name})"
        hamlet.commune, hamlet.name = heir, name
        hamlet.save(update_fields=["commune", "name"])
        taken.add(name)
        say(_("Move hamlet %(hamlet)s of %(old)s to %(new)s.") % {
            "hamlet": name, "old": old.full_name, "new": heir.full_name,
        })  # fmt: skip


def _end_terms(unit, effective_on, say):
    last_day = effective_on - datetime.timedelta(days=1)
    holders = OfficeHolder.objects.filter(unit=unit, start_date__lte=last_day).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=last_day)
    )
    for holder in holders.select_related("person", "position"):
        holder.end_date = last_day
        holder.save(update_fields=["end_date"])
        say(_("End the term of %(person)s, %(position)s of %(unit)s, on %(day)s.") % {
            "person": holder.person, "position": holder.position, "unit": unit.full_name,
            "day": f"{last_day:%d/%m/%Y}",
        })  # fmt: skip


def _move_users(old, heir, say):
    from accounts.models import User

    for user in User.objects.filter(unit=old).order_by("username"):
        user.unit, user.moved_from = heir, old
        user.save(update_fields=["unit", "moved_from"])
        say(_("Move user %(user)s from %(old)s to %(new)s.") % {
            "user": user.username, "old": old.full_name, "new": heir.full_name,
        })  # fmt: skip


def _move_targets(old, heir, effective_on, say):
    from dialogues.models import PlanTarget

    targets = PlanTarget.objects.filter(
        unit=old, level=heir.level, plan__period_end__gte=effective_on, period_end__gte=effective_on
    ).select_related("plan")
    for target in targets:
        same = PlanTarget.objects.filter(
            plan=target.plan, unit=heir, level=target.level,
            period_start=target.period_start, period_end=target.period_end,
        ).first()  # fmt: skip
        if same is None:
            target.unit = heir
            target.save()
            say(_("Move the target of plan %(plan)s from %(old)s to %(new)s.") % {
                "plan": target.plan.number, "old": old.full_name, "new": heir.full_name,
            })  # fmt: skip
        else:
            # Several old communes, one new commune: one target, the largest of theirs.
            same.sessions_required = max(same.sessions_required, target.sessions_required)
            same.save()
            target.delete()
            say(_("Merge the target of plan %(plan)s for %(old)s into %(new)s's.") % {
                "plan": target.plan.number, "old": old.full_name, "new": heir.full_name,
            })  # fmt: skip


def _move_opinions(old, heir, by_code, agency_map, result):
    from feedback.models import AWAITING_AGENCY, Opinion, OpinionStatus

    waiting = Opinion.objects.filter(
        unit=old, status__in=[OpinionStatus.NEW, *AWAITING_AGENCY]
    ).select_related("agency__unit")
    for opinion in waiting.order_by("pk"):
        opinion.unit = heir
        agency = opinion.agency
        if agency is not None and agency.name in agency_map:
            new_name, short_name, unit_code, _line = agency_map[agency.name]
            opinion.agency = _agency(new_name, short_name, unit_code, by_code)
        opinion.save()
        result.changes.append(_("Move opinion #%(pk)d of %(old)s to %(new)s.") % {
            "pk": opinion.pk, "old": old.full_name, "new": heir.full_name,
        })  # fmt: skip
    for opinion in Opinion.objects.needing_routing().filter(unit=heir).order_by("pk"):
        if opinion.pk not in result.to_route:
            result.to_route.append(opinion.pk)


def _agency(name, short_name, unit_code, by_code):
    unit = by_code.get(unit_code) or AdministrativeUnit.objects.get(code=unit_code)
    return Agency.objects.get_or_create(unit=unit, name=name, defaults={"short_name": short_name})[
        0
    ]


def _move_agencies(agency_map, say):
    from accounts.models import User

    for old_name, (new_name, short_name, unit_code, _line) in agency_map.items():
        old = Agency.objects.get(name=old_name)
        new = _agency(new_name, short_name, unit_code, {})
        for user in User.objects.filter(agency=old).order_by("username"):
            user.agency = new
            user.save(update_fields=["agency"])
            say(_("Move user %(user)s from %(old)s to %(new)s.") % {
                "user": user.username, "old": old.name, "new": new.name,
            })  # fmt: skip
        if old.is_active:
            old.is_active = False
            old.save(update_fields=["is_active"])
            say(_("End agency %(agency)s, replaced by %(new)s.") % {
                "agency": old.name, "new": new.name,
            })  # fmt: skip


def _refresh_inherited_paths(by_code, successor_codes, say):
    """Each successor and each unit above it inherit the paths of the units it succeeded."""
    touched = {}
    for code in sorted(successor_codes):
        unit = AdministrativeUnit.objects.get(pk=by_code[code].pk)
        own = set()
        for succession in Succession.objects.filter(successor=unit).select_related("predecessor"):
            own |= set(succession.predecessor.scope_paths())
        for ancestor in [*AdministrativeUnit.objects.get_ancestors(unit), unit]:
            touched.setdefault(ancestor.pk, [ancestor, set(ancestor.inherited_paths)])[1] |= own
    for unit, paths in touched.values():
        kept = sorted(_minimal(paths - {unit.path}, unit.path))
        if kept != unit.inherited_paths:
            unit.inherited_paths = kept
            unit.save(update_fields=["inherited_paths"])
            say(_("%(unit)s now also sees the records of: %(units)s.") % {
                "unit": unit.full_name,
                "units": ", ".join(
                    u.full_name for u in AdministrativeUnit.objects.filter(path__in=kept)
                ),
            })  # fmt: skip


def _minimal(paths, own):
    """Drop every path another one (or the unit's own) already covers as a prefix."""
    return {
        path
        for path in paths
        if not path.startswith(own)
        and not any(other != path and path.startswith(other) for other in paths)
    }


def read_text(file) -> str:
    """The text of an uploaded or opened CSV, with or without a byte-order mark."""
    data = file.read()
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig")
    return io.StringIO(data).getvalue().lstrip("\ufeff")
