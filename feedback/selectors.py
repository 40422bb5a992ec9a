from django.shortcuts import get_object_or_404

from .models import Opinion


def opinion_for(user, pk) -> Opinion:
    """An opinion the user can see, or 404."""
    return get_object_or_404(Opinion.objects.visible_to(user).for_list(), pk=pk)
