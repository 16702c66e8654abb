"""Pages of a list that stay fast on big lists and deep pages.

Django's ``Paginator`` pages any sliceable object with a ``count()``; ``MatchingKeys`` is one:
the primary keys of a list's rows in list order, whose count and slices are kept for the
content version. A slice holds only keys, which the index of the list ordering gives without
touching the table; a deep slice (from ``DEEP_OFFSET`` on) walks from whichever end of the
list is nearer, so the last page costs what the first does. The page then loads just its rows
(``in_order``).
"""

from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ..caching import versioned

# From this offset on, a slice walks the list's index from its nearer end.
DEEP_OFFSET = 1000


class MatchingKeys:
    """The primary keys of ``rows()`` (an ordered queryset, or a list of keys in order).

    ``rows`` is called only when keys must be read. With a ``name`` for the rows, the count and
    each slice are kept for the content version. ``count`` may give the count some cheaper way.
    """

    def __init__(self, rows, *, name=None, count=None):
        self.rows = rows
        self.name = name
        self.counter = count
        self._rows = None
        self._count = None

    def _read_rows(self):
        if self._rows is None:
            self._rows = self.rows()
        return self._rows

    def count(self):
        if self._count is None:
            if self.name is None:
                self._count = self._count_rows()
            else:
                self._count = versioned("count", [self.name], self._count_rows)
        return self._count

    def _count_rows(self):
        if self.counter is not None:
            return self.counter()
        rows = self._read_rows()
        return rows.count() if isinstance(rows, QuerySet) else len(rows)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("MatchingKeys are read in slices.")
        bottom, top = index.start or 0, index.stop
        if top is None:
            top = self.count()
        if self.name is None:
            return self._keys(bottom, top)
        return versioned("page-keys", [self.name, bottom, top], lambda: self._keys(bottom, top))

    def _keys(self, bottom, top):
        rows = self._read_rows()
        if not isinstance(rows, QuerySet):
            return list(rows[bottom:top])
        count = self.count()
        if bottom >= DEEP_OFFSET and rows.ordered and bottom > count - top:
            # Reversed, the slice is near the start; ties of the ordering may come in any
            # order, as they may in any page.
            reverse_keys = rows.reverse().values_list("pk", flat=True)
            return list(reverse_keys[max(count - top, 0) : count - bottom])[::-1]
        return list(rows.values_list("pk", flat=True)[bottom:top])


def page_of(paginator, number):
    """Page ``number`` ("last" too) of a Django ``Paginator``, or a 404 that says what was
    wrong."""
    if number == "last":
        number = paginator.num_pages
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404(
            _("Invalid page (%(page_number)s): %(message)s")
            % {"page_number": str(number)[:20], "message": str(error)}
        ) from None


def in_order(queryset, keys):
    """The rows of ``queryset`` with primary keys ``keys``, in that order (missing ones left
    out)."""
    by_key = {obj.pk: obj for obj in queryset.filter(pk__in=keys)}
    return [by_key[key] for key in keys if key in by_key]
