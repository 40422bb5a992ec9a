"""Answer deadlines in working days: Saturdays, Sundays and public holidays do not count, the
make-up working days of the holiday list (a Saturday worked for a bridged day off) do."""

import datetime
from collections.abc import Iterable

from django.conf import settings

from config.reference import reference


def add_working_days(
    start: datetime.date,
    days: int,
    holidays: Iterable[datetime.date],
    worked: Iterable[datetime.date] = (),
) -> datetime.date:
    """The date `days` working days after `start` (start itself does not count): Monday to Friday
    except `holidays`, and the weekend days in `worked` (make-up working days)."""
    closed, open_ = set(holidays), set(worked)
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if (day.weekday() < 5 or day in open_) and day not in closed:
            remaining -= 1
    return day


def working_calendar(
    after: datetime.date | None = None, until: datetime.date | None = None
) -> tuple[set[datetime.date], set[datetime.date]]:
    """The holiday list as (days off, make-up working days), within (after, until] when given:
    from the cache of reference tables (config/reference.py), else in one query."""
    holidays, worked = set(), set()
    for day, is_working_day in holiday_rows():
        if (after is None or day > after) and (until is None or day <= until):
            (worked if is_working_day else holidays).add(day)
    return holidays, worked


def holiday_rows() -> list[tuple[datetime.date, bool]]:
    """Every row of the holiday list (a few dozen a year) as (day, make-up working day)."""
    from .models import Holiday

    rows = Holiday.objects.order_by("day").values_list("day", "is_working_day")
    return reference("holidays", lambda: list(rows))


def answer_days(*, field=None, agency=None) -> int:
    """Working days allowed to answer: the agency's own rule, else the field's, else the default."""
    for source in (agency, field):
        if source is not None and source.answer_days:
            return source.answer_days
    return settings.OPINION_ANSWER_DAYS


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """`add_working_days` with the managed holiday list (days off and make-up working days)."""
    # Enough holidays for any realistic number of days: two months per ten working days.
    horizon = start + datetime.timedelta(days=days * 2 + 60)
    holidays, worked = working_calendar(start, horizon)
    return add_working_days(start, days, holidays, worked)


def default_deadline(*, session_date: datetime.date, field=None, agency=None) -> datetime.date:
    return working_days_after(session_date, answer_days(field=field, agency=agency))
