"""The one scoping mechanism: `Model.objects.visible_to(user)`.

A user sees their own unit and every unit below it. The unit tree is a materialised path
(django-treebeard), so "below" is one range of paths (`subtree_range`: the paths that start with
the unit's) served by the path's index, however deep the tree. A unit that succeeded others in a
reorganisation also sees theirs: the unit keeps the inherited paths
(`AdministrativeUnit.inherited_paths`), and each adds one more range to the same query; no row
is copied or moved. Agency responders see only
what is assigned to their agency; administrators see everything. Views never filter by unit
by hand.
"""

from django.db import models


class ScopedQuerySet(models.QuerySet):
    # The lookup from this model to its AdministrativeUnit ("" when the model is the unit).
    unit_lookup: str = ""
    # The lookup from this model to the Agency it is assigned to (None: responders see nothing).
    agency_lookup: str | None = None
    # Rows of the units above the user's also apply to them (a district's plan binds its communes).
    include_ancestors: bool = False

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self.all()
        # Imported here: accounts.models imports communes models by name only.
        from accounts.models import Role

        if user.role == Role.AGENCY_RESPONDER:
            if self.agency_lookup is None or user.agency_id is None:
                return self.none()
            return self.filter(**{self.agency_lookup: user.agency_id})
        if user.unit_id is None:
            return self.none()
        if self.include_ancestors:
            return self.concerning(user.unit)
        return self.within(user.unit)

    def concerning(self, unit):
        """Rows of this unit, of the units below and above it (and of those it succeeded)."""
        return self.filter(self._below(unit) | self._above(unit))

    def within(self, unit):
        """Rows of this unit, of every unit below it and of the units they succeeded."""
        return self.filter(self._below(unit))

    def _path_lookup(self):
        return f"{self.unit_lookup}__path" if self.unit_lookup else "path"

    def _below(self, unit):
        lookup = self._path_lookup()
        condition = models.Q()
        for path in unit.scope_paths():
            condition |= models.Q(**{f"{lookup}__range": subtree_range(path)})
        return condition

    def _above(self, unit):
        # The units above this one and above the ones it succeeded: the old district's plan
        # bound the communes a new commune was formed from.
        step = unit.steplen
        above = {path[:end] for path in unit.scope_paths() for end in range(step, len(path), step)}
        return models.Q(**{f"{self._path_lookup()}__in": sorted(above)})


# The characters of a path (django-treebeard's alphabet), the last one highest in any collation.
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PATH_MAX_LENGTH = 255


def subtree_range(path: str) -> tuple[str, str]:
    """The paths of a unit and of every unit below it, as a range: exactly those that start
    with `path` (the path itself, then `path` followed by letters of the alphabet).

    Same rows as `path LIKE 'prefix%'`, served by the path's unique index, but PostgreSQL plans
    a range by a binary search of the column's histogram where it tries a LIKE against each of
    its entries (up to 10,000: communes/migrations/0004). For a scope of seven paths (a commune
    formed of six) at national scale that was about 3 ms of planning per query: the home page's
    15 queries took 100 ms of SQL with LIKE, 52 ms with ranges."""
    return path, path + PATH_ALPHABET[-1] * (PATH_MAX_LENGTH - len(path))


def changeable(user, unit) -> bool:
    """Whether the user may change a record of `unit` they can see. What they see through
    succession (the history of the units theirs was formed from) is read only."""
    from accounts.models import Role

    if user.sees_everything or user.role == Role.AGENCY_RESPONDER:
        return True
    return user.unit_id is not None and unit.path.startswith(user.unit.path)


def refuse_unless_changeable(user, unit):
    if not changeable(user, unit):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("history of a unit that has ended is read only")


# How many levels below the user's unit a unit filter offers: a province's districts and
# communes (a few hundred), not the country's 3,700 units.
CHOICE_LEVELS = 2


def unit_filter_choices(user, *, empty_label, selected=None):
    """The entries of a unit filter: the user's unit and two levels below it.

    Users who see everything get the top-level units. Any unit in scope is still accepted (the
    field validates against the whole scope), so a link to a commune's list works from anywhere;
    a chosen unit (`selected`: the id as submitted) missing from the entries is added so the
    form shows it.
    """
    from .models import AdministrativeUnit

    units = AdministrativeUnit.objects.visible_to(user).active()
    if user.sees_everything or user.unit_id is None:
        units = units.filter(depth=1)
    else:
        units = units.filter(depth__lte=user.unit.depth + CHOICE_LEVELS)
    choices = [("", empty_label), *((unit.pk, str(unit)) for unit in units)]
    if selected and all(str(pk) != str(selected) for pk, _ in choices):
        from config.parsing import as_id

        chosen = AdministrativeUnit.objects.visible_to(user).filter(pk=as_id(selected)).first()
        if chosen is not None:
            choices.append((chosen.pk, str(chosen)))
    return choices
