"""Opinions a reorganisation left for board staff: still waiting for an office that was ended."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.access import allow
from config.pagination import LateRowPaginator

from ..access import ROUTERS
from ..models import Opinion

OPINIONS_PER_PAGE = 25


@allow(*ROUTERS)
@require_safe
def opinions_to_route(request):
    waiting = (
        Opinion.objects.visible_to(request.user)
        .needing_routing()
        .for_list()
        .order_by("deadline", "pk")
    )
    page = LateRowPaginator(waiting, OPINIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "feedback/opinions_to_route.html", {"page": page})
