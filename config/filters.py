"""What the list pages' filter sets share: date filters an index can serve, and unit choices."""

import django_filters

from communes.scope import unit_filter_choices

from .dates import DATE_ERRORS, DATE_WIDGET, PlausibleDateField, on_or_after, on_or_before


class PlausibleDateFilter(django_filters.DateFilter):
    """A date filter held to the dates the app can work with (31/12/9999 has no next day)."""

    field_class = PlausibleDateField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DATE_WIDGET)
        kwargs.setdefault("error_messages", DATE_ERRORS)
        super().__init__(*args, **kwargs)


class ListFilterMixin:
    """For a django-filter FilterSet with a `unit` filter and `start`/`end` date filters.

    The date filters name `method="filter_on_or_after"` / `"filter_on_or_before"` and the date
    and time field they bound; `offer_units(user)` runs at the end of `__init__`.
    """

    def filter_on_or_after(self, queryset, name, day):
        return queryset.filter(on_or_after(name, day))

    def filter_on_or_before(self, queryset, name, day):
        return queryset.filter(on_or_before(name, day))

    def offer_units(self, user):
        """The list offers a few hundred units at most; any unit in scope is accepted."""
        self.form.fields["unit"].widget.choices = unit_filter_choices(
            user,
            empty_label=self.filters["unit"].extra["empty_label"],
            selected=self.data.get("unit") if self.is_bound else None,
        )
