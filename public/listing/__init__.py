"""The listing engine: filter a list of published rows, page it, count its facets.

Every consumer of a list (the HTML lists, the statistics, the feeds, the calendar, the
downloads and the API) goes the same way::

    request.GET ─▶ parse_query(FilterSet, GET) ─▶ ListQuery ─▶ Listing(FilterSet, query)
                                                   (frozen)     ├ filtered(), matching()
                                                                ├ count(), page(n)
                                                                └ facets(): counter_for()
                                                                   ├ KeptCounter (kept.py)
                                                                   └ LiveCounter (GROUP BYs)

- ``lists.py``: the filter sets of every public list, one definition for all consumers.
- ``filters.py``: the filters (``ListFilterSet`` is a plain django-filter FilterSet) and how
  each narrows the rows and counts its options.
- ``query.py``: ``parse_query`` validates the query string once per content version into a
  frozen ``ListQuery`` (applied filters, refused values with their messages, choices).
- ``listing.py``: ``Listing`` answers the rows, their count, a page and the facets.
- ``counters.py``: the ``Counter`` interface, ``LiveCounter``, and ``counter_for``, the one
  place that chooses between it and ``KeptCounter`` (``kept.py``: the table PostgreSQL keeps
  for /news/).
- ``pages.py``: the keys Django's ``Paginator`` pages, cheap on deep pages.
- ``refusals.py``: the one wording of refused filter values, for every kind of answer.
- ``options.py``: facets, their options, and the small option lists.
- ``views.py``: the list page and the filtered page (imported by the sections, not here).
"""

from . import pages, refusals
from .filters import (
    ChoiceFacetFilter,
    InLanguageFilter,
    LargeSlugFilter,
    ListFilterSet,
    OptionFilter,
    SearchFilter,
    YearFilter,
)
from .listing import Listing
from .options import Facet, FacetOption, small_option_lists
from .pages import in_order, page_of
from .query import Choice, ListQuery, Refusal, parse_query

__all__ = [
    "ChoiceFacetFilter",
    "Choice",
    "Facet",
    "FacetOption",
    "InLanguageFilter",
    "LargeSlugFilter",
    "ListFilterSet",
    "ListQuery",
    "Listing",
    "OptionFilter",
    "Refusal",
    "SearchFilter",
    "YearFilter",
    "in_order",
    "page_of",
    "pages",
    "refusals",
    "parse_query",
    "small_option_lists",
]
