"""The counts of /news/ and /projects/ read from the tables PostgreSQL keeps
(``portal.kept_counts``: ``news.facet_counts``, ``clusters.project_counts``).

Unfiltered and with one filter value, these lists read their facet counts and their number of
results from the table instead of counting link tables of a million articles or fifty thousand
projects: one query for the small facets and the count, one per large facet, and for the news
one for the scheduled articles to take off (the table counts them; their time has not come).
Other combinations are counted live.
"""

from django.apps import apps
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from clusters.project_counts import PROJECTS
from cms.translated import other_language, page_language
from news.facet_counts import ARTICLES
from news.models import Article
from news.scheduled_facets import TABLE as SCHEDULED
from portal.kept_counts import ALL, is_kept
from portal.models import Project

from .filters import ChoiceFacetFilter, GroupedFacet, OptionFilter, TopFacet, YearFilter
from .options import LARGE_FACET_LIMIT, Facet, FacetOption, small_option_lists

# The lists whose counts are kept, by the model of their rows.
KEPT = {Article: ARTICLES, Project: PROJECTS}


class KeptCounter:
    """The kept counts (``kept_counts``, a ``KeptCounts``) of one list, unfiltered or with one
    filter value ``within`` (a (facet, option) pair of codes, ``(ALL, ALL)`` for none)."""

    @classmethod
    def covering(cls, listing):
        """A KeptCounter for ``listing`` where a table covers it, else None."""
        kept_counts = KEPT.get(listing.model)
        if kept_counts is None or not is_kept():
            return None
        if any(name not in kept_counts.facets for name, _filter in listing.facet_filters()):
            return None
        within = single_filter(listing, kept_counts)
        return None if within is None else cls(listing, kept_counts, within)

    def __init__(self, listing, kept_counts, within):
        self.listing = listing
        self.kept_counts = kept_counts
        self.codes = kept_counts.facets
        self.within = within
        grouped = [
            self.codes[name]
            for name, filter_ in listing.facet_filters()
            if isinstance(filter_, GroupedFacet)
        ]
        pairs = apps.get_model(kept_counts.model).objects.filter(
            Q(facet_a=ALL, option_a=ALL) | Q(facet_a=within[0], option_a=within[1]),
            facet_b__in=[ALL, *grouped],
        )
        self.kept = {
            (a, oa, b, ob): n
            for a, oa, b, ob, n in pairs.values_list(
                "facet_a", "option_a", "facet_b", "option_b", "n"
            )
        }
        # Only articles are published ahead of their time.
        scheduled = kept_counts is ARTICLES
        self.scheduled = scheduled_pairs(within) if scheduled else {}

    def count(self, source, facet, option):
        key = (*source, facet, option)
        return self.kept.get(key, 0) - self.scheduled.get(key, 0)

    def source_for(self, name):
        """Counts of a facet are taken within the other filters: its own filter is left out."""
        return (ALL, ALL) if self.codes[name] == self.within[0] else self.within

    def total(self):
        return self.count(self.within, ALL, ALL)

    def facets(self):
        active = self.listing.query.active
        result = []
        for name, filter_ in self.listing.facet_filters():
            selected = active.get(name, [])
            source, code = self.source_for(name), self.codes[name]
            truncated = False
            if isinstance(filter_, OptionFilter):
                counts = {
                    slug: self.count(source, code, pk)
                    for slug, _label, pk, _lang in small_option_lists()[filter_.kind]
                }
                options = filter_.options(counts, selected)
            elif isinstance(filter_, YearFilter):
                counts = {
                    str(ob): self.count(source, b, ob)
                    for (a, oa, b, ob) in self.kept
                    if (a, oa) == source and b == code
                }
                options = filter_.options({y: n for y, n in counts.items() if n > 0}, selected)
            elif isinstance(filter_, ChoiceFacetFilter):
                value = self.kept_counts.values[name]
                counts = {
                    choice: self.count(source, code, value.code(choice)) for choice in value.choices
                }
                options = filter_.options(counts, selected)
            else:
                options, truncated = self.top_options(name, filter_, source, selected)
            result.append(Facet(name, str(filter_.label), options, truncated))
        return result

    def top_options(self, name, filter_, source, selected):
        """The most frequent published options (the selected ones first), as live counts give.

        The top rows are read in the order of the index on the counts. Taking off scheduled
        articles only lowers counts, so a row read is known to rank above every row not read
        when its count stays above the last count read (or equals it with a name before the
        last name); when fewer than enough rows are known that way, more are read.
        """
        model, code = filter_.option_model, self.codes[name]
        taken_off = {
            ob: n for (a, oa, b, ob), n in self.scheduled.items() if (a, oa) == source and b == code
        }
        published_sql, published_params = (
            model.objects.published().order_by().values("pk").query.sql_with_params()
        )
        # The name in the page's language, or the other one where it has none there.
        language, other = page_language(), other_language()
        label = f"COALESCE(NULLIF(o.name_{language}, ''), o.name_{other}, '')"
        missing = f"COALESCE(o.name_{language}, '') = ''"
        part = f"""
SELECT o.id, o.slug, {label} AS name, c.n, {missing} AS missing FROM {self.kept_counts.table} c JOIN {model._meta.db_table} o ON o.id = c.option_b
WHERE c.facet_a = %s AND c.option_a = %s AND c.facet_b = %s AND c.n > 0
  AND c.option_b IN ({published_sql})"""
        params = [*source, code, *published_params]
        wanted = LARGE_FACET_LIMIT + 1
        read = 4 * wanted  # a few more than needed, as some counts may fall
        with connection.cursor() as cursor:
            while True:
                # The selected options (marked 1), then the top ones in the order of the index.
                cursor.execute(
                    f"(SELECT 1, * FROM ({part} AND o.slug = ANY(%s)) s) UNION ALL "
                    f"(SELECT 0, * FROM ({part} ORDER BY c.n DESC, {label} LIMIT %s) t)",
                    [*params, list(selected), *params, read],
                )
                found = cursor.fetchall()
                chosen = [row[1:] for row in found if row[0]]
                top = [row[1:] for row in found if not row[0]]
                if len(top) < read:
                    known = top  # every row was read
                    break
                last_n, last_name = top[-1][3], top[-1][2]
                known = []
                for row in top:
                    corrected = row[3] - taken_off.get(row[0], 0)
                    if corrected > last_n or (corrected == last_n and row[2] <= last_name):
                        known.append(row)
                if len(known) >= wanted:
                    break
                read *= 4
        rows = list(dict.fromkeys([*chosen, *known]))
        counted = [
            (slug, name, n - taken_off.get(pk, 0), other if fallback else None)
            for pk, slug, name, n, fallback in rows
        ]
        counted = [row for row in counted if row[2] > 0]
        counted.sort(key=lambda row: (row[0] not in selected, -row[2], row[1]))
        options = [
            FacetOption(slug, name, n, slug in selected, lang)
            for slug, name, n, lang in counted[:LARGE_FACET_LIMIT]
        ]
        return options, len(counted) > LARGE_FACET_LIMIT


def single_filter(listing, kept_counts):
    """The (facet, option) codes of the one filter value of ``listing``, ``(ALL, ALL)`` with
    none, or None when ``kept_counts`` do not cover the list."""
    filters = listing.query.filters
    if not filters:
        return (ALL, ALL)
    if len(filters) > 1:
        return None
    ((name, values),) = filters
    if len(values) != 1 or name not in kept_counts.facets:
        return None
    filter_, code = listing.filters[name], kept_counts.facets[name]
    if isinstance(filter_, YearFilter):
        return (code, int(values[0]))
    if isinstance(filter_, ChoiceFacetFilter):
        return (code, kept_counts.values[name].code(values[0]))
    if isinstance(filter_, OptionFilter):
        ids = {slug: pk for slug, _label, pk, _lang in small_option_lists()[filter_.kind]}
        pk = ids.get(values[0])
    elif isinstance(filter_, TopFacet):
        published = filter_.option_model.objects.published()
        pk = next(iter(published.filter(slug=values[0]).values_list("pk", flat=True)), None)
    else:
        return None
    return None if pk is None else (code, pk)


def scheduled_pairs(within):
    """{(facet_a, option_a, facet_b, option_b): n} of the articles whose time has not come,
    for the pairs a list filtered by ``within`` ((facet, option) codes, ``(ALL, ALL)`` for
    none) reads: those of A = ``within``, and for a filtered list the unfiltered counts of the
    filter's own facet (its options are counted without it).

    Read from their facets kept by triggers (``news.scheduled_facets``): one part per A, the
    rows whose time is ahead (of the articles that have A) by one index. A part that needs one
    facet B names it."""
    now = timezone.now()
    wanted = (
        [((ALL, ALL), None)] if within == (ALL, ALL) else [((ALL, ALL), within[0]), (within, None)]
    )
    parts, params = [], []
    for (facet, option), only in wanted:
        has_a = (
            "TRUE"
            if facet == ALL
            else f"EXISTS (SELECT 1 FROM {SCHEDULED} a WHERE a.article_id = b.article_id "
            "AND a.facet = %s AND a.option = %s)"
        )
        # A literal, not a parameter: the planner reads one facet's rows only.
        one_facet = "TRUE" if only is None else f"b.facet = {int(only)}"
        parts.append(
            f"""SELECT %s::smallint, %s::bigint, b.facet, b.option, count(*)
FROM {SCHEDULED} b
WHERE b.published_at > %s AND {has_a}
  AND (%s = {ALL} OR b.facet <> %s) AND {one_facet}
GROUP BY 3, 4"""
        )
        params += [facet, option, now, *([] if facet == ALL else [facet, option])]
        params += [facet, facet]
    with connection.cursor() as cursor:
        cursor.execute("\nUNION ALL\n".join(parts), params)
        return {tuple(row[:4]): row[4] for row in cursor.fetchall()}
