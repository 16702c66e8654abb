"""What a facet shows: its options with their counts, and the small option lists (clusters,
directions, park types) that facets and filters read without a query of their own."""

from dataclasses import dataclass

from django.db.models import Value

from clusters.models import Cluster
from cms.translated import other_language, page_language
from portal.models import Direction, ParkType

from ..caching import versioned

# Facets over big tables list only their most frequent options (plus the selected ones).
LARGE_FACET_LIMIT = 20


@dataclass
class FacetOption:
    """One option of a facet: what it adds to the query string, its name and its count."""

    value: str
    label: str
    count: int
    selected: bool
    # The language of ``label`` where it is not the page's (a missing translation).
    lang: str | None = None


@dataclass
class Facet:
    """A filter shown with its options counted within the other active filters."""

    name: str
    label: str
    options: list
    # Only the most frequent options are listed (a large facet).
    truncated: bool = False


def small_option_lists():
    """{kind: [(slug, name, pk, lang)]} of the clusters, directions and park types, in one
    query kept for the content version; ``name`` in the page's language, or in ``lang``
    where it has none there."""
    language, other = page_language(), other_language()

    def part(queryset, kind):
        # Plain columns (no rewriting by modeltranslation): the parts of a UNION must match.
        return (
            queryset.rewrite(False)
            .order_by()
            .values_list(Value(kind), "slug", f"name_{language}", f"name_{other}", "order", "pk")
        )

    def load():
        rows = part(Cluster.objects.published(), "cluster").union(
            part(Direction.objects.all(), "direction"),
            part(ParkType.objects.all(), "type"),
            all=True,
        )
        lists = {"cluster": [], "direction": [], "type": []}
        named = [
            (kind, slug, own or fallback, None if own else other, order, pk)
            for kind, slug, own, fallback, order, pk in rows
        ]
        for kind, slug, name, lang, _order, pk in sorted(
            named, key=lambda row: (row[0], row[4], row[2] or "")
        ):
            lists[kind].append((slug, name or "", pk, lang))
        return lists

    return versioned("small-options", [], load)


def option_choices(kind):
    """The (slug, name) choices of one small option list, for a form field."""
    return [(slug, name) for slug, name, _pk, _lang in small_option_lists()[kind]]
