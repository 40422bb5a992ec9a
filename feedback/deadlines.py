"""Answer deadlines in working days: Saturdays, Sundays and public holidays do not count."""

import datetime
from collections.abc import Iterable

from django.conf import settings


def add_working_days(
    start: datetime.date, days: int, holidays: Iterable[datetime.date]
) -> datetime.date:
    """The date `days` working days after `start` (start itself does not count)."""
    closed = set(holidays)
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            remaining -= 1
    return day


def answer_days(*, field=None, agency=None) -> int:
    """Working days allowed to answer: the agency's own rule, else the field's, else the default."""
    for source in (agency, field):
        if source is not None and source.answer_days:
            return source.answer_days
    return settings.OPINION_ANSWER_DAYS


def holidays_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The managed holiday list's days from first to last, both included (one query)."""
    from .models import Holiday

    return list(Holiday.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True))


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """`add_working_days` with the managed holiday list."""
    # Enough holidays for any realistic number of days: two months per ten working days.
    horizon = start + datetime.timedelta(days=days * 2 + 60)
    return add_working_days(start, days, holidays_between(start, horizon))


def default_deadline(*, session_date: datetime.date, field=None, agency=None) -> datetime.date:
    return working_days_after(session_date, answer_days(field=field, agency=agency))
