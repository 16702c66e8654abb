"""Pagination that stays fast on big lists and deep pages."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .caching import versioned

# From this offset on, a page walks the list's index from its nearer end.
DEEP_OFFSET = 1000


class ContentPaginator(Paginator):
    """Pages of primary keys, kept per content version, with cheap deep pages.

    ``rows`` is a function giving the ordered rows (a queryset, or a list of primary keys
    already in order); it is called only when the count or a page's keys must be read. A page
    holds the primary keys of its rows, which the index of the list ordering gives without
    touching the table. A deep page (offset at least ``DEEP_OFFSET``) walks from whichever
    end of the list is nearer, so the last page costs what the first does.

    With a ``name`` for the rows, the count and each page's keys are kept for the content
    version (``public.caching.versioned``), like any other query result. ``count_rows`` may
    give the count some cheaper way (or None, to count the rows).
    """

    def __init__(self, rows, per_page, *, name=None, count_rows=None, **kwargs):
        self.rows = rows
        self.name = name
        self.count_rows = count_rows
        super().__init__(None, per_page, **kwargs)

    @property
    def object_list(self):
        if self._object_list is None:
            self._object_list = self.rows()
        return self._object_list

    @object_list.setter
    def object_list(self, value):
        self._object_list = value

    def _check_object_list_is_ordered(self):
        # Our rows are ordered by their models; asking would read them before they are needed.
        pass

    @cached_property
    def count(self):
        if self.name is None:
            return self._count()
        return versioned("count", [self.name], self._count)

    def _count(self):
        known = self.count_rows() if self.count_rows else None
        return Paginator.count.func(self) if known is None else known

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.name is None:
            keys = self._keys(bottom, top)
        else:
            keys = versioned(
                "page-keys", [self.name, self.per_page, number], lambda: self._keys(bottom, top)
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


def page_of(paginator, number):
    """The page ``number`` ("last" too), or a 404 that says what was wrong."""
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
    """The rows of ``queryset`` with primary keys ``keys``, in that order (missing ones left out)."""
    by_key = {obj.pk: obj for obj in queryset.filter(pk__in=keys)}
    return [by_key[key] for key in keys if key in by_key]
