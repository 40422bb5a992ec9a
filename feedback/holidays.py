"""Pre-fill the managed holiday list from the `holidays` package (Tết and the fixed holidays)."""

import holidays as holiday_calendars

from .models import Holiday


def holidays_prefill(*, years) -> int:
    """Add Vietnam's public holidays of these years; existing dates are left as edited."""
    added = 0
    for day, name in holiday_calendars.country_holidays("VN", years=years, language="vi").items():
        _, created = Holiday.objects.get_or_create(day=day, defaults={"name": name[:200]})
        added += created
    return added
