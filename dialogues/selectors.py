from django.shortcuts import get_object_or_404

from .models import Plan, Session


def session_for(user, pk) -> Session:
    """A session the user can see, or 404: outsiders learn nothing, not even that it exists."""
    return get_object_or_404(
        Session.objects.visible_to(user).select_related("host_unit", "plan"), pk=pk
    )


def plan_for(user, pk) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(user).select_related("unit"), pk=pk)
