from django.shortcuts import get_object_or_404

from communes.models import Agency
from communes.scope import refuse_unless_changeable

from .models import Opinion


def opinion_for(user, pk, *, to_change=False) -> Opinion:
    """An opinion the user can see, or 404; to change it, one of their own unit's (403)."""
    # Who told the author, read with it: the page names them.
    rows = Opinion.objects.visible_to(user).for_list().select_related("acknowledged_by")
    opinion = get_object_or_404(rows, pk=pk)
    if to_change:
        refuse_unless_changeable(user, opinion.unit)
    return opinion


def agencies_for_session(session):
    """The agencies an opinion of the session may go to: those of its host unit and the units
    above it and, once a reorganisation has ended the host, those of the unit that took it over
    and the units above that. The entry form, the import and the forward form all offer these
    and no others."""
    host = session.host_unit
    paths = host.lineage_paths()
    if not host.is_active:
        paths += host.heir().lineage_paths()
    return Agency.objects.filter(is_active=True, unit__path__in=paths).order_by("name")


def agencies_for(user):
    """The agencies the user works with: of their unit, the units above it and below it (the
    list's filter, and the import template when no session is chosen)."""
    agencies = Agency.objects.filter(is_active=True).order_by("name")
    if user.sees_everything:
        return agencies
    if user.unit_id is None:
        return agencies.none()
    unit = user.unit
    return agencies.within(unit) | agencies.filter(unit__path__in=unit.lineage_paths())
