"""Pagination and short lists for tables that can hold millions of rows.

Counting every match of a broad filter over millions of opinions costs more than the page
itself. A list counts up to CAP rows and, past it, says "more than 10,000": nobody pages through
400 pages, and the filters narrow the list. Official totals are on the dashboard and in the
reports, which count with grouped queries.

A page is read in two steps: the ids of its rows, sorted with only what the sort needs, then
those rows with everything the page shows. Sorting thousands of matches with all the joined
columns of the list costs several times more.
"""

from functools import cached_property

from django.core.paginator import Paginator

CAP = 10_000


def first_rows(queryset, count: int):
    """The first `count` rows of a sorted queryset, in one query: sorted first, joined after.

    A list of the ten most urgent opinions with their session, unit, field and agency otherwise
    joins all of them, for every waiting opinion in scope, before keeping ten.
    """
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    ids = queryset.order_by(*ordering).values("pk")[:count]
    outer = queryset.model._default_manager.filter(pk__in=ids).order_by(*ordering)
    outer.query.select_related = queryset.query.select_related
    return outer.prefetch_related(*queryset._prefetch_related_lookups)


class LateRowPaginator(Paginator):
    """Reads a page's ids first (sorted with only what the sort needs), then those rows."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class CappedPaginator(LateRowPaginator):
    cap = CAP

    @cached_property
    def count(self):
        """The number of rows, or cap + 1 when there are more than cap."""
        # Without the ordering: counting needs neither the sort nor the joins it brings.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap
