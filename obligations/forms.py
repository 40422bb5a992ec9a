"""The compliance page's pickers: a unit in the user's scope and a period (a month, a quarter,
the first 6 or 9 months, a year)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit
from communes.scope import unit_filter_choices
from config.parsing import as_id
from reports.models import PeriodKind
from reports.periods import month_bounds, month_label, period_bounds, period_label

MONTH = "month"
PERIOD_CHOICES = [
    (MONTH, _("Month")),
    *((value, label) for value, label in PeriodKind.choices if value != PeriodKind.CUSTOM),
]


class ComplianceForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"))
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, required=False, empty_value=None,
        choices=[("", "—"), *((n, str(n)) for n in range(1, 13))],
    )  # fmt: skip
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, required=False, empty_value=None,
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )  # fmt: skip

    def __init__(self, data, *, user, today: datetime.date):
        self.user = user
        self.default_unit = default_unit(user)
        initial = {
            "unit": self.default_unit.pk if self.default_unit else "",
            "period": MONTH,
            "year": today.year,
            "month": today.month,
            "quarter": (today.month - 1) // 3 + 1,
        }
        # A page opened without parameters shows the defaults; a partial one keeps what it has.
        data = {**{k: str(v) for k, v in initial.items()}, **data.dict()} if data else initial
        super().__init__(data)
        self.fields["unit"].choices = [
            choice
            for choice in unit_filter_choices(user, empty_label="", selected=data.get("unit"))
            if choice[0] != ""
        ]
        if self.default_unit and all(
            pk != self.default_unit.pk for pk, _ in self.fields["unit"].choices
        ):
            self.fields["unit"].choices.insert(0, (self.default_unit.pk, str(self.default_unit)))

    def clean_unit(self):
        chosen = as_id(self.cleaned_data["unit"])
        unit = (
            AdministrativeUnit.objects.visible_to(self.user).filter(pk=chosen).first()
            if chosen is not None
            else None
        )
        if unit is None:
            raise ValidationError(_("Choose a unit you can see."))
        return unit

    def clean(self):
        data = super().clean()
        kind, year = data.get("period"), data.get("year")
        if kind is None or year is None:
            return data
        if kind == MONTH:
            if not data.get("month"):
                self.add_error("month", _("Choose the month."))
                return data
            data["start"], data["end"] = month_bounds(year, data["month"])
            data["label"] = month_label(year, data["month"])
            return data
        try:
            data["start"], data["end"] = period_bounds(kind, year=year, quarter=data.get("quarter"))
        except ValidationError as error:
            self.add_error("quarter" if kind == PeriodKind.QUARTER else "year", error)
            return data
        data["label"] = period_label(kind, year, data.get("quarter"))
        return data


def default_unit(user):
    """The user's unit, or the unit that took it over when a reorganisation ended it."""
    if user.unit_id is None:
        return AdministrativeUnit.objects.visible_to(user).active().filter(depth=1).first()
    unit = user.unit
    return unit if unit.is_active else unit.heir()
