"""The month calendar of sessions: the session list's filters, one month at a time."""

import calendar
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts.access import allow

from ..access import READERS
from ..filters import SessionFilter

MONTH_PARAM = re.compile(r"(\d{4})-(\d{1,2})")
# Wide enough for any plan, narrow enough that the neighbouring months are valid dates too.
YEARS = range(1900, 2101)
# The month replaces the list's date range; the other list filters apply as they are.
CALENDAR_FILTERS = ("unit", "level", "status", "plan")
# A day shows this many sessions and links to the rest: a province has hundreds on some days.
SESSIONS_PER_DAY = 4


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    sessions: list = field(default_factory=list)
    more: int = 0  # sessions of the day not shown, in the session list

    @property
    def list_date(self):
        return f"{self.date:%d/%m/%Y}"

    @property
    def weekday_name(self):
        return WEEKDAYS[self.date.weekday()]


def parse_month(value: str) -> datetime.date | None:
    """The first day of the month that `YYYY-MM` names, or None when it names none."""
    match = MONTH_PARAM.fullmatch(value.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if year not in YEARS or not 1 <= month <= 12:
        return None
    return datetime.date(year, month, 1)


def month_of_list_start(value: str) -> datetime.date | None:
    """The month of the session list's "from" date (dd/mm/yyyy), when it is a valid date."""
    try:
        day = forms.DateField().clean(value)
    except ValidationError:
        return None
    return day.replace(day=1) if day and day.year in YEARS else None


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The moment `day` begins in Vietnam: a month's sessions are those of its local days."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month_param(day: datetime.date) -> str | None:
    return f"{day:%Y-%m}" if day.year in YEARS else None


def active_filters(filterset) -> list[tuple[str, str]]:
    """The filters in effect, as (label, value), for the printed page, which has no form."""
    form = filterset.form
    shown = []
    for name in CALENDAR_FILTERS:
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        text = str(value) if hasattr(field, "queryset") else dict(field.choices).get(value, value)
        shown.append((field.label, text))
    return shown


@allow(*READERS)
@require_safe
def session_calendar(request):
    today = timezone.localdate()
    first = today.replace(day=1)
    if "month" in request.GET:
        asked = parse_month(request.GET["month"])
        if asked is None:
            messages.warning(
                request,
                _("A month is written as year-month, for example 2019-05; here is this month."),
            )
        else:
            first = asked
    elif "start" in request.GET:
        # Opened from the filtered session list: show the month its date range starts in.
        first = month_of_list_start(request.GET["start"]) or first
    next_first = (first + datetime.timedelta(days=32)).replace(day=1)
    previous_first = (first - datetime.timedelta(days=1)).replace(day=1)

    filter_data = {key: request.GET[key] for key in CALENDAR_FILTERS if key in request.GET}
    filterset = SessionFilter(filter_data, user=request.user)
    sessions = (
        filterset.qs.filter(
            starts_at__gte=local_midnight(first), starts_at__lt=local_midnight(next_first)
        )
        .select_related("host_unit")
        .order_by("starts_at", "pk")
    )
    by_day = defaultdict(list)
    for session in sessions:
        by_day[timezone.localtime(session.starts_at).date()].append(session)

    grid = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        first.year, first.month
    )
    weeks = [
        [
            Day(
                date=day,
                in_month=day.month == first.month,
                is_today=day == today,
                sessions=by_day.get(day, [])[:SESSIONS_PER_DAY],
                more=max(0, len(by_day.get(day, [])) - SESSIONS_PER_DAY),
            )
            for day in week
        ]
        for week in grid
    ]
    context = {
        "filter": filterset,
        "active_filters": active_filters(filterset),
        "weeks": weeks,
        "days_with_sessions": [day for week in weeks for day in week if day.sessions],
        "session_count": sum(len(day_sessions) for day_sessions in by_day.values()),
        "weekday_names": [WEEKDAYS[number] for number in range(7)],
        "month": first,
        "month_name": MONTHS[first.month],
        "this_month": month_param(first),
        "previous_month": month_param(previous_first),
        "next_month": month_param(next_first),
        "is_current_month": first == today.replace(day=1),
        # The same month as a date range, for the link back to the session list.
        "list_start": f"{first:%d/%m/%Y}",
        "list_end": f"{next_first - datetime.timedelta(days=1):%d/%m/%Y}",
    }
    return render(request, "dialogues/session_calendar.html", context)
