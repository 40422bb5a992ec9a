from django.shortcuts import get_object_or_404

from communes.scope import refuse_unless_changeable

from .models import Opinion


def opinion_for(user, pk, *, to_change=False) -> Opinion:
    """An opinion the user can see, or 404; to change it, one of their own unit's (403)."""
    opinion = get_object_or_404(Opinion.objects.visible_to(user).for_list(), pk=pk)
    if to_change:
        refuse_unless_changeable(user, opinion.unit)
    return opinion
