"""Pagination for lists that can hold millions of rows.

Counting every match of a broad filter over millions of opinions costs more than the page
itself. A list counts up to CAP rows and, past it, says "more than 10,000": nobody pages through
400 pages, and the filters narrow the list. Official totals are on the dashboard and in the
reports, which count with grouped queries.

A page is read in two steps: the ids of its rows, sorted with only what the sort needs, then
those rows with everything the page shows. Sorting thousands of matches with all the joined
columns of the list cost several times more.
"""

from functools import cached_property

from django.core.paginator import Paginator

CAP = 10_000


class CappedPaginator(Paginator):
    cap = CAP

    @cached_property
    def count(self):
        """The number of rows, or cap + 1 when there are more than cap."""
        # Without the ordering: counting needs neither the sort nor the joins it brings.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
