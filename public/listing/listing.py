"""``Listing``: the published rows of one list narrowed by a ``ListQuery``, with its count, its
pages and its facets."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from ..caching import versioned
from .counters import counter_for
from .filters import GroupedFacet, SearchFilter, TopFacet
from .pages import MatchingKeys, in_order, page_of
from .query import applies_many


class Listing:
    """One list: the rows ``filterset_class.published()`` gives, narrowed by ``query``.

    - ``filtered(without=None)``: the queryset of the rows the applied filters select;
    - ``matching()``: those rows in list order (``order(rows)`` where given), or, for a ranked
      search, the keys of the ranked matches, kept for the content version;
    - ``count()``, ``paginator`` and ``page(number)``: the count and each page's keys, kept for
      the content version;
    - ``facets()``: each facet filter's options counted within the other filters, kept for
      the content version and counted by the ``Counter`` that ``counter_for`` chooses.
    """

    def __init__(self, filterset_class, query, *, order=None, per_page=None):
        self.filterset_class = filterset_class
        self.query = query
        self.order = order
        self.per_page = per_page or settings.PORTAL_PAGE_SIZE
        self.filters = filterset_class.base_filters
        self.model = filterset_class._meta.model

    @cached_property
    def _published(self):
        # Built once per listing and cloned for each use: building the public rule through
        # modeltranslation's manager costs far more than a clone, and a render filters the
        # rows once per facet.
        return self.filterset_class.published()

    def published(self):
        """The rows the list starts from (a fresh queryset each time)."""
        return self._published.all()

    @property
    def key(self):
        """Names the rows this listing selects, for keeping what is computed from them."""
        return f"{self.model._meta.label}|{self.query.key}"

    def facet_filters(self):
        """(name, filter) of the filters shown with counts, in their declared order."""
        return [
            (name, filter_)
            for name, filter_ in self.filters.items()
            if isinstance(filter_, GroupedFacet | TopFacet)
        ]

    def filtered(self, without=None):
        """The rows of every applied filter but ``without``.

        The text search applies last: it may keep only the newest matches, which for the list
        are the newest matches within the other filters. Counting a facet (``without`` given),
        the rows are taken within the matches of the search alone, found once for all facets.
        """
        rows = self.published()
        search = None
        for name, values in self.query.filters:
            filter_ = self.filters[name]
            if name == without:
                continue
            if isinstance(filter_, SearchFilter):
                search = (filter_, values[0])
                continue
            rows = filter_.filter(rows, list(values) if applies_many(filter_) else values[0])
        if search is None:
            return rows
        if without is None:
            return search[0].filter(rows, search[1])
        return rows.filter(pk__in=self.text_matches(*search))

    def text_matches(self, filter_, text):
        """The keys of the search's matches among all the list's rows, read once."""
        if not hasattr(self, "_text_matches"):
            if self.is_ranked() and len(self.query.filters) == 1:
                # The search alone: its ranked keys are these rows, in an order (and kept).
                self._text_matches = list(self.matching())
            else:
                matches = filter_.filter(self.published(), text).order_by()
                self._text_matches = list(matches.values_list("pk", flat=True))
        return self._text_matches

    def is_ranked(self):
        """Whether the rows come in the order of a search's relevance."""
        return any(
            getattr(self.filters[name], "ranked", False) for name, _values in self.query.filters
        )

    def matching(self):
        """The filtered rows in list order: a queryset, or the ranked keys of a search."""
        rows = self._matching
        return rows.all() if isinstance(rows, QuerySet) else rows

    @cached_property
    def _matching(self):
        # Built once: the count and the page's keys both start from it.
        rows = self.filtered()
        if self.is_ranked():
            # Ranking is the costly part of a search, and its order holds until content
            # changes: the ranked keys are kept for the content version.
            return versioned("matches", [self.key], lambda: list(rows.values_list("pk", flat=True)))
        return self.order(rows) if self.order else rows

    @cached_property
    def counter(self):
        return counter_for(self)

    @cached_property
    def keys(self):
        """The keys of the matching rows, as Django's ``Paginator`` pages them."""
        return MatchingKeys(self.matching, name=self.key, count=lambda: self.counter.total())

    def count(self):
        return self.keys.count()

    @cached_property
    def paginator(self):
        return Paginator(self.keys, self.per_page)

    def page(self, number):
        """Page ``number`` (1, 2, …, "last") of keys, or a 404 saying what was wrong."""
        return page_of(self.paginator, number)

    def rows(self, page, queryset):
        """The rows of ``page`` from ``queryset`` (as a row shows them), in list order."""
        return in_order(queryset, list(page))

    def facets(self):
        return versioned("facets", [self.key], lambda: self.counter.facets())
