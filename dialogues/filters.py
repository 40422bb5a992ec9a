"""The session list's filters, shared by the list page, the calendar and the exports."""

import django_filters
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, UnitLevel
from config.filters import ListFilterMixin, PlausibleDateFilter
from config.widgets import FastSelect
from obligations.rules import RuleBook

from .models import Plan, Session, SessionKind, SessionStatus


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
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=SessionKind.choices, empty_label=_("All kinds"), widget=FastSelect
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

    # The deadlines of the rules in force (obligations.rules), counted today.
    announce_late = django_filters.BooleanFilter(
        label=_("Announcement late"), method="filter_announce_late", widget=forms.CheckboxInput
    )
    results_overdue = django_filters.BooleanFilter(
        label=_("Results not yet public and overdue"), method="filter_results_overdue",
        widget=forms.CheckboxInput,
    )  # fmt: skip

    class Meta:
        model = Session
        fields = [
            "unit", "level", "kind", "status", "plan", "start", "end", "announce_late",
            "results_overdue",
        ]  # fmt: skip

    def __init__(self, data=None, *args, user, **kwargs):
        # The base queryset is always the user's scope; filters only narrow it.
        super().__init__(data, *args, queryset=Session.objects.visible_to(user), **kwargs)
        self.filters["unit"].queryset = AdministrativeUnit.objects.visible_to(user).active()
        self.filters["plan"].queryset = Plan.objects.visible_to(user)
        self.offer_units(user)

    def filter_unit(self, queryset, name, unit):
        """Sessions hosted by the unit or any unit below it."""
        return queryset.within(unit)

    @cached_property
    def rule_book(self) -> RuleBook:
        return RuleBook.load()

    def filter_announce_late(self, queryset, name, value):
        return self.rule_book.announce_late(queryset) if value else queryset

    def filter_results_overdue(self, queryset, name, value):
        return self.rule_book.results_overdue(queryset) if value else queryset
