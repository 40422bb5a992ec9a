"""The session list's filters, shared by the list page, the calendar and the exports."""

import django_filters
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, UnitLevel
from config.filters import ListFilterMixin, PlausibleDateFilter
from config.widgets import FastSelect

from .models import Plan, Session, SessionStatus


class SessionFilter(ListFilterMixin, django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"),
        queryset=AdministrativeUnit.objects.none(),
        method="filter_unit",
        empty_label=_("All units in your scope"),
        widget=FastSelect,
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=UnitLevel.choices, empty_label=_("All levels"), widget=FastSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=SessionStatus.choices,
        empty_label=_("All statuses"),
        widget=FastSelect,
    )
    plan = django_filters.ModelChoiceFilter(
        label=_("Plan"), queryset=Plan.objects.none(), empty_label=_("All plans"), widget=FastSelect
    )
    start = PlausibleDateFilter(
        label=_("From"),
        field_name="starts_at",
        method="filter_on_or_after",
    )
    end = PlausibleDateFilter(
        label=_("To"),
        field_name="starts_at",
        method="filter_on_or_before",
    )

    class Meta:
        model = Session
        fields = ["unit", "level", "status", "plan", "start", "end"]

    def __init__(self, data=None, *args, user, **kwargs):
        # The base queryset is always the user's scope; filters only narrow it.
        super().__init__(data, *args, queryset=Session.objects.visible_to(user), **kwargs)
        self.filters["unit"].queryset = AdministrativeUnit.objects.visible_to(user).active()
        self.filters["plan"].queryset = Plan.objects.visible_to(user)
        self.offer_units(user)

    def filter_unit(self, queryset, name, unit):
        """Sessions hosted by the unit or any unit below it."""
        return queryset.within(unit)
