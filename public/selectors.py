"""What the public pages read: only what staff published, through these functions alone.

A unit's page is the page of a unit of today (a province, or a commune, ward or special zone):
it shows the sessions its own bodies hosted and those of the units it succeeded, so the 2019
sessions of xã Dũng Nghĩa are on the page of xã Vũ Thư. A province's page also shows the
sessions of the districts and provinces that a reorganisation ended within it.
"""

import re

from django.db.models import Q
from django.http import Http404

from communes.models import AdministrativeUnit, UnitLevel, kinds_at_level
from dialogues.models import Session

from .models import ANNOUNCED, RESULTS_PUBLIC, OpinionPublication

# An official code, and a public id (secrets.token_urlsafe): anything else names nothing.
CODE = re.compile(r"[0-9A-Za-z]{1,16}")
PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")
COMMUNE_KINDS = kinds_at_level(UnitLevel.COMMUNE)
PROVINCE_KINDS = kinds_at_level(UnitLevel.PROVINCE)


def public_sessions():
    """Sessions with something public: an announcement or results."""
    return Session.objects.filter(ANNOUNCED | RESULTS_PUBLIC)


def public_opinions():
    return OpinionPublication.objects.public()


def page_unit(code: str):
    """The unit of today whose page this code names; an ended unit's code leads to its heir
    (the caller redirects); anything else is not found."""
    if not CODE.fullmatch(code):
        raise Http404  # not a code (a NUL byte, say): nothing to look up
    unit = (
        AdministrativeUnit.objects.filter(code=code, kind__in=[*COMMUNE_KINDS, *PROVINCE_KINDS])
        .only("name", "kind", "code", "path", "depth", "inherited_paths", "is_active")
        .first()
    )
    if unit is None:
        raise Http404
    return unit


def hosts_of(unit) -> Q:
    """The sessions shown on this unit's page, as a filter on Session."""
    paths = unit.scope_paths()
    condition = Q(host_unit__path__in=paths)
    if unit.kind in PROVINCE_KINDS:
        # Ended districts and provinces within it: no unit of today below took them over.
        ended = Q()
        for path in paths:
            ended |= Q(host_unit__path__startswith=path)
        condition |= ended & Q(host_unit__is_active=False) & ~Q(host_unit__kind__in=COMMUNE_KINDS)
    return condition


def unit_sessions(unit):
    return public_sessions().filter(hosts_of(unit))


def unit_opinions(unit):
    return public_opinions().filter(_prefixed(hosts_of(unit)))


def _prefixed(condition: Q) -> Q:
    """The same filter seen from an opinion's publication (through its session)."""
    copy = Q()
    copy.connector, copy.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            copy.children.append(_prefixed(child))
        else:
            key, value = child
            copy.children.append((f"session__{key}", value))
    return copy


def listed_units():
    """Today's provinces with their communes that have something public, in tree order:
    [(province, [communes…])]. A province is listed when it or a commune of it has anything."""
    hosts = set(
        public_sessions()
        .values_list("host_unit__path", "host_unit__is_active", "host_unit__kind")
        .distinct()
    )
    paths = {path for path, _, _ in hosts}
    ended_above_commune = [
        path for path, active, kind in hosts if not active and kind not in COMMUNE_KINDS
    ]
    units = (
        AdministrativeUnit.objects.active()
        .filter(kind__in=[*COMMUNE_KINDS, *PROVINCE_KINDS])
        .only("name", "kind", "code", "path", "depth", "inherited_paths")
        .order_by("path")
    )
    provinces, communes = {}, {}
    for unit in units:
        scope = unit.scope_paths()
        if unit.kind in PROVINCE_KINDS:
            provinces[unit.path[: unit.steplen]] = unit
            unit.has_own = bool(paths.intersection(scope)) or any(
                path.startswith(tuple(scope)) for path in ended_above_commune
            )
        elif paths.intersection(scope):
            communes.setdefault(unit.path[: unit.steplen], []).append(unit)
    return [
        (province, communes.get(key, []))
        for key, province in provinces.items()
        if province.has_own or communes.get(key)
    ]


def public_unit_of(host):
    """The unit of today on whose page a session hosted by `host` is shown, or None."""
    if host.is_active and host.kind in [*COMMUNE_KINDS, *PROVINCE_KINDS]:
        return host
    heir = host.heir()
    if heir.is_active and heir.kind in [*COMMUNE_KINDS, *PROVINCE_KINDS]:
        return heir
    province = AdministrativeUnit.objects.filter(path=host.path[: host.steplen]).first()
    province = province.heir() if province else None
    return province if province is not None and province.is_active else None
