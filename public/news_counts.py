"""Facets and counts of /news/ read from the kept counts (news.facet_counts) on PostgreSQL.

Unfiltered and with one filter value, a news list reads its facet counts and its number of
results from the table instead of counting link tables of 100,000 articles: one query for the
small facets and the count, one per large facet, one for the scheduled articles to take off.
Any other combination (two filters, a text search) counts the filtered rows as before.
"""

from django.db import connection
from django.db.models import Q

from cms.translated import other_language, page_language
from news.facet_counts import ALL, FACETS, TABLE, scheduled_pairs
from news.models import ArticleFacetCount
from portal.models import Park, Project, Stakeholder

from .facets import LARGE_FACET_LIMIT, Facet, FacetOption, small_option_lists

LARGE = {"project": Project, "stakeholder": Stakeholder, "park": Park}
SMALL = ("cluster", "direction")


def single_filter(active):
    """The (facet, option) codes of the one filter value of ``active``, ``(ALL, ALL)`` with
    none, or None when the kept counts do not cover the list."""
    if not active:
        return (ALL, ALL)
    if len(active) > 1 or "q" in active:
        return None
    ((name, values),) = active.items()
    if len(values) != 1 or name not in FACETS:
        return None
    if name == "year":
        return (FACETS[name], int(values[0]))
    if name in SMALL:
        ids = {slug: pk for slug, _label, pk, _lang in small_option_lists()[name]}
        pk = ids.get(values[0])
    else:
        pk = LARGE[name].objects.published().filter(slug=values[0]).values_list("pk", flat=True)
        pk = next(iter(pk), None)
    return None if pk is None else (FACETS[name], pk)


class KeptCounts:
    """The kept counts of one list, unfiltered or with one filter value ``within``."""

    def __init__(self, within):
        self.within = within
        pairs = ArticleFacetCount.objects.filter(
            Q(facet_a=ALL, option_a=ALL) | Q(facet_a=within[0], option_a=within[1]),
            facet_b__in=[ALL, FACETS["year"], *(FACETS[name] for name in SMALL)],
        )
        self.kept = {
            (a, oa, b, ob): n
            for a, oa, b, ob, n in pairs.values_list(
                "facet_a", "option_a", "facet_b", "option_b", "n"
            )
        }
        self.scheduled = scheduled_pairs(sorted({(ALL, ALL), within}))

    def count(self, source, facet, option):
        key = (*source, facet, option)
        return self.kept.get(key, 0) - self.scheduled.get(key, 0)

    def source_for(self, name):
        """Counts of a facet are taken within the other filters: its own filter is left out."""
        return (ALL, ALL) if FACETS[name] == self.within[0] else self.within

    def total(self):
        return self.count(self.within, ALL, ALL)

    def facets(self, filterset, active):
        result = []
        option_lists = small_option_lists()
        for name, filter_ in filterset.facet_filters():
            selected = active.get(name, [])
            source = self.source_for(name)
            code = FACETS[name]
            truncated = False
            if name in SMALL:
                options = [
                    FacetOption(slug, label, self.count(source, code, pk), slug in selected, lang)
                    for slug, label, pk, lang in option_lists[name]
                ]
            elif name == "year":
                # The years with content within the other filters, and the selected ones.
                with_content = {
                    ob
                    for (a, oa, b, ob) in self.kept
                    if (a, oa) == source and b == code and self.count(source, b, ob) > 0
                }
                years = sorted(with_content | {int(year) for year in selected}, reverse=True)
                options = [
                    FacetOption(str(y), str(y), self.count(source, code, y), str(y) in selected)
                    for y in years
                ]
            else:
                options, truncated = self.large_facet(name, source, selected)
            result.append(Facet(name, str(filter_.label), options, truncated))
        return result

    def large_facet(self, name, source, selected):
        """The most frequent published options (the selected ones first), as live counts give.

        The top rows are read in the order of the index on the counts. Taking off scheduled
        articles only lowers counts, so a row read is known to rank above every row not read
        when its count stays above the last count read (or equals it with a name before the
        last name); when fewer than enough rows are known that way, more are read.
        """
        model, code = LARGE[name], FACETS[name]
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
SELECT o.id, o.slug, {label} AS name, c.n, {missing} AS missing FROM {TABLE} c JOIN {model._meta.db_table} o ON o.id = c.option_b
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
                for pk, slug, name_, n, fallback in top:
                    corrected = n - taken_off.get(pk, 0)
                    if corrected > last_n or (corrected == last_n and name_ <= last_name):
                        known.append((pk, slug, name_, n, fallback))
                if len(known) >= wanted:
                    break
                read *= 4
        rows = list(dict.fromkeys([*chosen, *known]))
        counted = [
            (slug, name_, n - taken_off.get(pk, 0), other if fallback else None)
            for pk, slug, name_, n, fallback in rows
        ]
        counted = [row for row in counted if row[2] > 0]
        counted.sort(key=lambda row: (row[0] not in selected, -row[2], row[1]))
        options = [
            FacetOption(slug, name_, n, slug in selected, lang)
            for slug, name_, n, lang in counted[:LARGE_FACET_LIMIT]
        ]
        return options, len(counted) > LARGE_FACET_LIMIT
