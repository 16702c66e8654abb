"""The kept facet counts of /news/ (``portal.kept_counts``): the articles' table of counts and
its triggers. Lists read it through ``public.listing.kept``.

``ArticleFacetCount`` holds, for the articles marked published, how many have option B of one
facet (a cluster, direction, project, stakeholder, park or year) among those with option A of
another. Articles marked published whose time has not come yet are counted too; the few of
them are taken off when the counts are read (``public.listing.kept.scheduled_pairs``), from
their facets kept beside the counts (``news.scheduled_facets``).
"""

from django.conf import settings
from django.db import connection, transaction

from portal.kept_counts import KeptCounts, Value

from . import scheduled_facets
from .models import Article

# Facet codes in the table; the filter names of /news/.
FACETS = {"cluster": 1, "direction": 2, "project": 3, "stakeholder": 4, "year": 5, "park": 6}
LINK_TABLES = {
    "cluster": ("news_article_clusters", "cluster_id"),
    "direction": ("news_article_directions", "direction_id"),
    "project": ("news_article_projects", "project_id"),
    "stakeholder": ("news_article_stakeholders", "stakeholder_id"),
    "park": ("news_article_parks", "park_id"),
}
TABLE = "news_articlefacetcount"


def year_sql(row):
    """SQL: the year of the article ``row``'s publication time, in the site's zone."""
    return f"extract(year FROM {row}.published_at AT TIME ZONE '{settings.TIME_ZONE}')::bigint"


def counted_sql(row=None):
    """SQL: the article ``row`` is counted, being marked published (``Article.public_rule``:
    one whose time has not come is taken off when the counts are read)."""
    column = f"{row}.status" if row else "status"
    return f"{column} = '{Article.public_rule['status']}'"


class ArticleCounts(KeptCounts):
    """The articles' kept counts, and the facets of those scheduled ahead kept beside them:
    installed, paused and rebuilt together."""

    def install_sql(self):
        return [*super().install_sql(), *scheduled_facets.install_sql(self)]

    def uninstall_sql(self):
        return [*scheduled_facets.uninstall_sql(self), *super().uninstall_sql()]

    def trigger_names(self):
        return super().trigger_names() | scheduled_facets.trigger_names(self)

    def rebuild(self, cursor=None):
        with transaction.atomic(), connection.cursor() as own_cursor:
            super().rebuild(cursor)
            for statement in scheduled_facets.rebuild_sql(self):
                (cursor or own_cursor).execute(statement)


ARTICLES = ArticleCounts(
    rows="news_article",
    row="article",
    table=TABLE,
    model="news.ArticleFacetCount",
    counted=counted_sql,
    state="status",
    read="status, published_at",
    facets=FACETS,
    links=LINK_TABLES,
    values={"year": Value(year_sql)},
    add_function="news_facet_counts_add",
    pause_setting="inotomsk.facet_counts_paused",
)
TRIGGERS = ARTICLES.triggers
