"""The home page: this quarter for the user's unit, with the figures the quarterly report prints."""

import datetime

from django.db.models import Count, Subquery
from django.utils import timezone

from config.pagination import first_rows
from dialogues.access import SESSION_EDITORS
from dialogues.coverage import plan_coverage, visible_targets
from dialogues.models import Plan, Session
from feedback.access import RECORDERS
from feedback.models import Opinion, due_soon_q, overdue_q
from obligations.compliance import deadline_reach, due_this_month, session_groups

from .charts import opinions_by_field_chart, opinions_by_status_chart
from .figures import period_summary
from .periods import quarter_bounds


def dashboard(*, user, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    opinions = Opinion.objects.visible_to(user)
    # Both among those waiting: counted from the index of waiting opinions by deadline.
    counts = opinions.awaiting_agency().aggregate(
        overdue=Count("pk", filter=overdue_q(today)),
        due_soon=Count("pk", filter=due_soon_q(today)),
    )
    context = {
        "overdue": first_rows(opinions.overdue(today).for_list().order_by("deadline", "pk"), 10),
        "overdue_count": counts["overdue"],
        "due_soon": first_rows(opinions.due_soon(today).for_list().order_by("deadline", "pk"), 10),
        "due_soon_count": counts["due_soon"],
    }
    if user.unit_id is None or user.role == "agency_responder":
        return context
    sessions = Session.objects.visible_to(user)
    context["can_edit_sessions"] = user.role in SESSION_EDITORS
    context["can_record_opinions"] = user.role in RECORDERS
    rows = sessions.select_related("host_unit", "plan")
    # Both lists show a session's time, host and topic (not its chairs or residents).
    context["awaiting_results"] = list(rows.awaiting_results().order_by("-starts_at", "pk")[:8])
    upcoming = list(rows.upcoming().order_by("starts_at")[:8])
    quarter = (today.month - 1) // 3 + 1
    start, end = quarter_bounds(today.year, quarter)
    # The sessions of the quarter and of the month's deadlines, counted in one grouped query.
    reach_start, reach_end = deadline_reach(today)
    groups = session_groups(user.unit, min(start, reach_start), max(end, reach_end))
    # The counts the quarterly report prints, without the lists only the report shows.
    figures = period_summary(unit=user.unit, start=start, end=end, today=today, groups=groups)
    # The latest plan covering today that has targets in the user's scope, read with them in
    # one query (only that plan's targets, however many plans cover today).
    latest = (
        Plan.objects.visible_to(user)
        .covering(today)
        .filter(pk__in=visible_targets(user).values("plan"))
        .order_by("-period_start", "-pk")
        .values("pk")[:1]
    )
    targets = list(visible_targets(user).filter(plan=Subquery(latest)).select_related("plan"))
    plan = targets[0].plan if targets else None
    context.update(
        quarter=quarter,
        figures=figures,
        field_chart=opinions_by_field_chart(figures),
        status_chart=opinions_by_status_chart(figures),
        upcoming=upcoming,
        plan=plan,
        coverage=plan_coverage(plan, user=user, targets=targets) if plan else None,
        due_this_month=due_this_month(unit=user.unit, today=today, groups=groups),
    )
    return context
