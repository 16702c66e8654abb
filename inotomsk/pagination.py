"""Pagination that stays fast on big lists and deep pages."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .cache import versioned

# From this offset on, a page reads its keys first (see ContentPaginator.page).
DEEP_OFFSET = 1000


class ContentPaginator(Paginator):
    """A paginator whose count is cached per content version and whose deep pages are cheap.

    A deep page (offset at least ``DEEP_OFFSET``) first reads the primary keys of its rows,
    which the index of the list ordering gives without touching the table, walking from
    whichever end of the list is nearer; then it loads only those rows. So the last page
    costs what the first does, and the middle one a scan of half the index.
    """

    def __init__(self, object_list, per_page, *args, count_key=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        if self.count_key is None:
            return Paginator.count.func(self)
        return versioned(f"count|{self.count_key}", lambda: Paginator.count.func(self))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if bottom >= DEEP_OFFSET and isinstance(rows, QuerySet) and rows.ordered:
            rows = self._rows_by_key(bottom, top)
        else:
            rows = rows[bottom:top]
        return self._get_page(rows, number, self)

    def _rows_by_key(self, bottom, top):
        rows = self.object_list
        if bottom > self.count - top:
            keys = rows.reverse().values_list("pk", flat=True)[
                self.count - top : self.count - bottom
            ]
        else:
            keys = rows.values_list("pk", flat=True)[bottom:top]
        # The ordering of ``rows`` still applies, so the page keeps its order.
        return rows.filter(pk__in=list(keys))
