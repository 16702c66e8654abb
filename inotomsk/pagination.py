"""Pagination that stays fast on big lists and deep pages."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .cache import versioned

# From this offset on, a page walks the list's index from its nearer end.
DEEP_OFFSET = 1000


class ContentPaginator(Paginator):
    """Pages of primary keys, kept per content version, with cheap deep pages.

    ``object_list`` is an ordered queryset (or a lazy object giving one), or a list of
    primary keys already in order. A
    page holds the primary keys of its rows, which the index of the list ordering gives
    without touching the table; the list page renders the rows from its kept fragments
    (``inotomsk.fragments``). A deep page (offset at least ``DEEP_OFFSET``) walks from
    whichever end of the list is nearer, so the last page costs what the first does.

    With a ``count_key`` naming the rows, the count and each page's keys are kept for the
    content version (``inotomsk.cache.versioned``), like any other query result that only
    content changes can change.
    """

    def __init__(self, object_list, per_page, *args, count_key=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_key = count_key

    def _check_object_list_is_ordered(self):
        # Our lists are ordered by their models; asking would build a lazily given queryset,
        # which a page whose count and keys are kept never needs.
        pass

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
        if self.count_key is None:
            keys = self._keys(bottom, top)
        else:
            keys = versioned(
                f"page|{self.count_key}|{self.per_page}|{number}", lambda: self._keys(bottom, top)
            )
        return self._get_page(keys, number, self)

    def _keys(self, bottom, top):
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return list(rows[bottom:top])
        if bottom >= DEEP_OFFSET and rows.ordered and bottom > self.count - top:
            # Reversed, the page is near the start; ties of the ordering may come in
            # any order, as they may in any page.
            reverse_keys = rows.reverse().values_list("pk", flat=True)
            return list(reverse_keys[self.count - top : self.count - bottom])[::-1]
        return list(rows.values_list("pk", flat=True)[bottom:top])
