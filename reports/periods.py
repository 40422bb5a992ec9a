"""The periods the Party asks reports for: a month, a quarter, the first 6 or 9 months, a year
(Kết luận 215-KL/TW: monthly, Q1, 6 months, 9 months and the year), or a range.

The 6-month, 9-month and yearly reports are cumulative from 1 January, so each is compared with
the same period a year earlier; so is a month (the same month a year earlier: a month differs
from the one before it by the season, Tết, the harvest); a quarter with the quarter before it;
a range with the range of the same length just before it.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dialogues.coverage import Quarter

from .models import PeriodKind

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}
# The last day of the cumulative periods, as (month, day).
CUMULATIVE_END = {
    PeriodKind.SIX_MONTHS: (6, 30),
    PeriodKind.NINE_MONTHS: (9, 30),
    PeriodKind.YEAR: (12, 31),
}


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    period = Quarter(year, quarter)
    return period.start, period.end


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(
        year, month, calendar.monthrange(year, month)[1]
    )


def period_bounds(
    kind: str,
    *,
    year: int | None = None,
    quarter: int | None = None,
    month: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a period, both included; ValidationError when it makes no sense."""
    if kind == PeriodKind.CUSTOM:
        if start is None or end is None:
            raise ValidationError(_("Give the first and the last day of the period."))
        if end < start:
            raise ValidationError(_("The last day of the period cannot be before the first."))
        return start, end
    if kind not in CUMULATIVE_END and kind not in (PeriodKind.QUARTER, PeriodKind.MONTH):
        raise ValidationError(_("Unknown kind of period: %(kind)s.") % {"kind": kind})
    if year is None or not 1900 <= year <= 9999:
        raise ValidationError(_("Give the year of the report."))
    if kind == PeriodKind.QUARTER:
        if quarter not in ROMAN_QUARTERS:
            raise ValidationError(_("The quarter must be 1, 2, 3 or 4."))
        return quarter_bounds(year, quarter)
    if kind == PeriodKind.MONTH:
        if month not in range(1, 13):
            raise ValidationError(_("The month must be a number from 1 to 12."))
        return month_bounds(year, month)
    month, day = CUMULATIVE_END[kind]
    return datetime.date(year, 1, 1), datetime.date(year, month, day)


def period_kind_of(start: datetime.date, end: datetime.date) -> str:
    """The kind of period two dates make up: a month, a quarter, a cumulative period, or a
    custom range."""
    if start.day == 1 and (start, end) == month_bounds(start.year, start.month):
        return PeriodKind.MONTH
    if start.day == 1 and start.month in (1, 4, 7, 10):
        quarter = (start.month - 1) // 3 + 1
        if (start, end) == quarter_bounds(start.year, quarter):
            return PeriodKind.QUARTER
    if start == datetime.date(start.year, 1, 1):
        for kind, (month, day) in CUMULATIVE_END.items():
            if end == datetime.date(start.year, month, day):
                return kind
    return PeriodKind.CUSTOM


def _a_year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def previous_period(
    start: datetime.date, end: datetime.date, kind: str
) -> tuple[datetime.date, datetime.date]:
    """The period a report compares itself with."""
    if kind == PeriodKind.QUARTER:
        quarter = (start.month - 1) // 3 + 1
        if quarter == 1:
            return quarter_bounds(start.year - 1, 4)
        return quarter_bounds(start.year, quarter - 1)
    if kind == PeriodKind.MONTH:
        return month_bounds(start.year - 1, start.month)
    if kind in CUMULATIVE_END:
        return _a_year_earlier(start), _a_year_earlier(end)
    length = end - start
    previous_end = start - datetime.timedelta(days=1)
    return previous_end - length, previous_end


def period_label(
    kind: str,
    year: int | None = None,
    quarter: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> str:
    """The period as a report's subject names it: "tháng 10 năm 2026", "quý II năm 2019",
    "6 tháng đầu năm 2019"."""
    if year is None and start is not None:
        year = start.year
    if kind == PeriodKind.MONTH:
        return _("month %(month)d of %(year)s") % {"month": start.month, "year": year}
    if kind == PeriodKind.QUARTER:
        if quarter is None and start is not None:
            quarter = (start.month - 1) // 3 + 1
        return _("quarter %(quarter)s of %(year)s") % {
            "quarter": ROMAN_QUARTERS[quarter],
            "year": year,
        }
    if kind == PeriodKind.SIX_MONTHS:
        return _("the first 6 months of %(year)s") % {"year": year}
    if kind == PeriodKind.NINE_MONTHS:
        return _("the first 9 months of %(year)s") % {"year": year}
    if kind == PeriodKind.YEAR:
        return _("the year %(year)s") % {"year": year}
    return _("from %(start)s to %(end)s") % {
        "start": f"{start:%d/%m/%Y}",
        "end": f"{end:%d/%m/%Y}",
    }


def month_label(year: int, month: int) -> str:
    """A month as a report's subject names it: "tháng 11 năm 2026"."""
    return period_label(PeriodKind.MONTH, year, start=datetime.date(year, month, 1))
