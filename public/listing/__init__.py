"""The listing engine: filter a list of published rows, page it, count its facets.

Every consumer of a list (the HTML lists, the statistics, the feeds, the calendar, the
downloads and the API) goes the same way::

    request.GET ──parse_query──▶ ListQuery ──▶ Listing ──▶ count() · page(n) · facets()
                 (filters.py,     (frozen:     (listing.py)    │          │         │
                  query.py)        filters,                    │   pages.py: keys   │
                                   refused,                    └── counters.py ─────┘
                                   choices)                        counter_for(listing):
                                                                   KeptCounter (kept.py) or
                                                                   LiveCounter (GROUP BYs)

- ``filters.py``: the filters a list declares (``ListFilterSet``, a plain django-filter
  FilterSet) and how each narrows the rows and counts its options.
- ``query.py``: ``parse_query`` validates the query string once per content version and
  gives a frozen ``ListQuery``.
- ``listing.py``: ``Listing`` answers the rows, their count, a page and the facets.
- ``counters.py``: the ``Counter`` interface, ``LiveCounter``, and ``counter_for``, the one
  place that chooses between it and ``KeptCounter`` (``kept.py``, the table PostgreSQL keeps
  for /news/).
- ``pages.py``: the keys Django's ``Paginator`` pages, cheap on deep pages.
- ``refusals.py``: the one wording of refused filter values, for every kind of answer.
- ``options.py``: facets, their options, and the small option lists.
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
