"""The opinion list's filters, shared by the list page and its Excel export."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, Agency
from config.filters import ListFilterMixin, PlausibleDateFilter
from config.widgets import FastSelect
from dialogues.models import Session
from obligations.rules import RuleBook

from .models import AWAITING_AGENCY, Field, Opinion, OpinionStatus
from .personal import searches_personal
from .selectors import agencies_for

SEARCH_MAX_LENGTH = 200


class OpinionFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period must end on or after the day it starts."))
        return data


class OpinionFilter(ListFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"placeholder": _("Content or name, with or without diacritics")}
        ),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Residents of"),
        queryset=AdministrativeUnit.objects.none(),
        method="filter_unit",
        empty_label=_("All units in your scope"),
        widget=FastSelect,
    )
    # A number, not a list: there are hundreds of sessions. It comes from a session's page.
    session = django_filters.ModelChoiceFilter(
        label=_("Session no."),
        queryset=Session.objects.none(),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid_choice": _("No such session among yours.")},
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Field"),
        queryset=Field.objects.all(),
        empty_label=_("All fields"),
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=OpinionStatus.choices,
        empty_label=_("All statuses"),
        widget=FastSelect,
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True),
        empty_label=_("All agencies"),
        widget=FastSelect,
    )
    start = PlausibleDateFilter(
        label=_("Sessions from"),
        field_name="session__starts_at",
        method="filter_on_or_after",
    )
    end = PlausibleDateFilter(
        label=_("Sessions to"),
        field_name="session__starts_at",
        method="filter_on_or_before",
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )

    unacknowledged = django_filters.BooleanFilter(
        label=_("Author not yet told and overdue"),
        method="filter_unacknowledged",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Opinion
        form = OpinionFilterForm
        fields = [
            "q", "unit", "session", "field", "status", "agency", "start", "end", "overdue",
            "unacknowledged",
        ]  # fmt: skip

    def __init__(self, data=None, *args, user, **kwargs):
        # The base queryset is always the user's scope; filters only narrow it.
        super().__init__(data, *args, queryset=Opinion.objects.visible_to(user), **kwargs)
        self.user = user
        self.filters["unit"].queryset = AdministrativeUnit.objects.visible_to(user).active()
        self.filters["agency"].queryset = agencies_for(user)
        # A district session is hosted above a commune officer, yet their residents' opinions
        # raised there are theirs: any session with an opinion they can see counts too.
        self.filters["session"].queryset = Session.objects.filter(
            Q(pk__in=Session.objects.visible_to(user).values("pk"))
            | Q(pk__in=Opinion.objects.visible_to(user).values("session_id"))
        )
        self.offer_units(user)

    @property
    def is_urgent(self) -> bool:
        """Filtered to opinions waiting for an agency: the list shows the most urgent first."""
        if not self.is_bound or not self.is_valid():
            return False
        data = self.form.cleaned_data
        return bool(data.get("overdue")) or data.get("status") in AWAITING_AGENCY

    def filter_search(self, queryset, name, value):
        # A person's name or phone finds their opinions only for who may see them.
        return queryset.search(value, personal=searches_personal(self.user))

    def filter_unit(self, queryset, name, unit):
        """Opinions of the unit's residents or of any unit below it."""
        return queryset.within(unit)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_unacknowledged(self, queryset, name, value):
        """Counted in working days with the holiday list (obligations.rules)."""
        return RuleBook.load().unacknowledged_overdue(queryset) if value else queryset
