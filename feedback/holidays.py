"""Pre-fill the managed holiday list from the `holidays` package (Tết and the fixed holidays, and
the weekend days worked in exchange for a bridged day off)."""

import holidays as holiday_calendars

from .models import Holiday


def holidays_prefill(*, years) -> int:
    """Add Vietnam's public holidays and make-up working days of these years; existing dates are
    left as edited."""
    calendar = holiday_calendars.country_holidays("VN", years=years, language="vi")
    added = 0
    for day, name in calendar.items():
        _, created = Holiday.objects.get_or_create(day=day, defaults={"name": name[:200]})
        added += created
    # The package lists every year's make-up days whatever years were asked for.
    for day in sorted(day for day in calendar.weekend_workdays if day.year in set(years)):
        _, created = Holiday.objects.get_or_create(
            day=day, defaults={"name": make_up_name(day, calendar), "is_working_day": True}
        )
        added += created
    return added


def make_up_name(day, calendar) -> str:
    """'Làm bù cho ngày 29/04/2019': the day off it makes up for, as the package names it."""
    for other, name in calendar.items():
        if day.strftime("%d/%m/%Y") in name:
            return f"Làm bù cho ngày {other:%d/%m/%Y}"
    return "Ngày làm việc bù"
