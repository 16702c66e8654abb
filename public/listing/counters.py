"""How a list is counted: one interface, two ways, chosen in one place (``counter_for``).

A ``Counter`` answers the number of matching rows (``total``) and the facets (``facets``):
for each facet, how many rows each option would give within the other active filters.

- ``LiveCounter`` counts the filtered rows with GROUP BYs, on any database: the facets that
  count by one path (``GroupedFacet``: clusters, directions, years, statuses, kinds, park
  types) in one query (UNION ALL), each large facet (``TopFacet``) in one query of its top
  options. Every relation a facet follows links a row to an option at most once (foreign keys,
  or link tables with a unique pair), so the counts need no costly DISTINCT.
- ``KeptCounter`` (``public.listing.kept``) reads the counts of /news/ and /projects/ from
  the tables that PostgreSQL triggers keep (``portal.kept_counts``), for the unfiltered list
  and every list with one filter value.
"""

from typing import Protocol

from django.db.models import Case, Count, QuerySet, Value, When

from cms.translated import localized, other_language, page_language

from .filters import GroupedFacet
from .kept import KeptCounter
from .options import LARGE_FACET_LIMIT, Facet, FacetOption


class Counter(Protocol):
    def total(self) -> int:
        """The number of rows the list matches."""

    def facets(self) -> list:
        """[Facet] of the list's facet filters, each counted within the other filters."""


def counter_for(listing):
    """The one place that chooses how ``listing`` is counted."""
    return KeptCounter.covering(listing) or LiveCounter(listing)


class LiveCounter:
    """Counts ``listing``'s rows with GROUP BYs."""

    def __init__(self, listing):
        self.listing = listing

    def total(self):
        rows = self.listing.matching()
        return rows.count() if isinstance(rows, QuerySet) else len(rows)

    def facets(self):
        grouped = self.grouped_counts()
        active = self.listing.query.active
        result = []
        for name, filter_ in self.listing.facet_filters():
            selected = active.get(name, [])
            truncated = False
            if isinstance(filter_, GroupedFacet):
                options = filter_.options(grouped.get(name, {}), selected)
            else:
                options, truncated = self.top_options(name, filter_, selected)
            result.append(Facet(name, str(filter_.label), options, truncated))
        return result

    def grouped_counts(self):
        """{name: {value: count}} of the grouped facets, in one query: each GROUP BY within
        the other filters, joined by UNION ALL."""
        parts = [
            self.listing.filtered(without=name)
            .order_by()
            .values_list(Value(name), filter_.count_path)
            .annotate(n=Count("pk"))
            for name, filter_ in self.listing.facet_filters()
            if isinstance(filter_, GroupedFacet)
        ]
        if not parts:
            return {}
        first, *rest = parts
        counts = {}
        for name, value, n in first.union(*rest, all=True) if rest else first:
            counts.setdefault(name, {})[value] = n
        return counts

    def top_options(self, name, filter_, selected):
        """The most frequent published options of a large facet (the selected ones first, so
        that they are never cut off), and whether there are more."""
        relation = filter_.relation
        slug = f"{relation}__slug"
        language, other = page_language(), other_language()
        own, fallback = f"{relation}__name_{language}", f"{relation}__name_{other}"
        # Only published options, chosen in SQL before the top ones are taken.
        published = filter_.option_model.objects.published().values("pk")
        rows = (
            self.listing.filtered(without=name)
            .order_by()
            .filter(**{f"{relation}__in": published})
            .values_list(slug, own, fallback)
            .annotate(n=Count("pk"), label=localized(f"{relation}__name"))
        )
        ordering = ["-n", "label"]
        if selected:
            rows = rows.annotate(
                chosen=Case(When(**{f"{slug}__in": selected}, then=Value(1)), default=Value(0))
            )
            ordering.insert(0, "-chosen")
        rows = list(rows.order_by(*ordering)[: LARGE_FACET_LIMIT + 1])
        options = [
            # (slug, name in the page's language, in the other, count, label[, chosen])
            FacetOption(
                row[0],
                row[1] or row[2] or "",
                row[3],
                row[0] in selected,
                None if row[1] else other,
            )
            for row in rows[:LARGE_FACET_LIMIT]
        ]
        return options, len(rows) > LARGE_FACET_LIMIT
