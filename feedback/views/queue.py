"""An agency responder's queue: the opinions forwarded to their agency, most urgent first."""

import datetime

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.access import allow
from config.pagination import LateRowPaginator, first_rows

from ..access import QUEUE_USERS
from ..models import Opinion

OPINIONS_PER_PAGE = 25
RECENTLY_CLOSED_DAYS = 30


@allow(*QUEUE_USERS)
@require_safe
def agency_queue(request):
    today = timezone.localdate()
    mine = Opinion.objects.visible_to(request.user)
    waiting = mine.awaiting_agency().for_list().by_urgency(today)
    page = LateRowPaginator(waiting, OPINIONS_PER_PAGE).get_page(request.GET.get("page"))
    since = timezone.now() - datetime.timedelta(days=RECENTLY_CLOSED_DAYS)
    context = {
        "page": page,
        "today": today,
        "overdue_count": mine.overdue(today).count(),
        "due_soon_count": mine.due_soon(today).count(),
        "recently_closed": first_rows(
            mine.filter(closed_at__gte=since).for_list().order_by("-closed_at", "-pk"), 10
        ),
    }
    return render(request, "feedback/agency_queue.html", context)
