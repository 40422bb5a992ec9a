import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from accounts.access import EVERY_ROLE, allow
from communes.models import AdministrativeUnit, UnitLevel, kinds_at_level
from reports.dashboard import dashboard

logger = logging.getLogger(__name__)


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """200 when the database (and the broker, when one is configured) answers; 503 otherwise."""
    from django.conf import settings

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("Health check: database unreachable")
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["broker"] = "ok"
        except Exception:
            logger.exception("Health check: broker unreachable")
            checks["broker"] = "error"
    else:
        checks["broker"] = "not configured"
    healthy = all(value != "error" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@allow(*EVERY_ROLE)
@require_safe
def ping(request):
    """The smallest logged-in page: what every page pays (middleware, session, user), no more.

    The benchmark's baseline.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@allow(*EVERY_ROLE)
@require_safe
def home(request):
    user = request.user
    today = timezone.localdate()
    communes = Q(kind__in=kinds_at_level(UnitLevel.COMMUNE))
    counts = (
        AdministrativeUnit.objects.visible_to(user)
        .active()
        .aggregate(units=Count("pk"), communes=Count("pk", filter=communes))
    )
    context = {
        "today": today,
        "unit_count": counts["units"],
        "commune_count": counts["communes"],
        **dashboard(user=user, today=today),
    }
    return render(request, "home.html", context)
