"""Dates typed by users: a day that parses is not always a day the app can work with."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Far enough for any plan, session, deadline or report; 01/01/0001 or 31/12/9999 overflow as soon
# as a time zone or a few working days are added to them.
EARLIEST = datetime.date(1945, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def plausible_date(value):
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError(
            _("Enter a date between %(start)s and %(end)s.")
            % {"start": EARLIEST.strftime("%d/%m/%Y"), "end": LATEST.strftime("%d/%m/%Y")},
            code="implausible_date",
        )


# Every date a user types: dd/mm/yyyy, with the phone's numeric keypad.
DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
DATE_ERRORS = {"invalid": _("Enter a date as dd/mm/yyyy, for example 26/09/2018.")}


class PlausibleDateField(forms.DateField):
    default_validators = [plausible_date]


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of the day, in the current (Vietnam's) time zone."""
    from django.utils import timezone

    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone()
    )


def on_or_after(field: str, day: datetime.date):
    """`field` (a date and time) on the day or later, as a range an index can serve.

    The same rows as `field__date__gte=day`, which converts every row's time to a date first.
    """
    from django.db.models import Q

    return Q(**{f"{field}__gte": day_start(day)})


def on_or_before(field: str, day: datetime.date):
    """`field` on the day or earlier: before the next midnight."""
    from django.db.models import Q

    return Q(**{f"{field}__lt": day_start(day + datetime.timedelta(days=1))})
