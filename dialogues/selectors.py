from django.shortcuts import get_object_or_404

from communes.scope import refuse_unless_changeable

from .models import Plan, Session


def session_for(user, pk, *, to_change=False) -> Session:
    """A session the user can see, or 404: outsiders learn nothing, not even that it exists.
    To change it, it must be their own unit's, not history seen through succession (403)."""
    session = get_object_or_404(
        Session.objects.visible_to(user).select_related("host_unit", "plan"), pk=pk
    )
    if to_change:
        refuse_unless_changeable(user, session.host_unit)
    return session


def plan_for(user, pk) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(user).select_related("unit"), pk=pk)
