"""The news section: the article list with its filters, and the article page."""

from functools import cache

from django.db import connection
from django.db.models import Exists, F, OuterRef, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.translated import localized, page_language
from news.models import Article
from portal.publishing import public_condition, reads_clock

from . import textsearch
from .base import PublishedDetailView
from .links import query_without
from .listing.lists import ArticleFilterSet
from .listing.views import ListingView

RELATED_ARTICLES = 3
DETAIL_NEWS_LIMIT = 5


def latest_news_about(obj, relation):
    """The latest published articles linked to ``obj`` through ``relation``, one more than
    shown (the page links to all of them when there are more)."""
    articles = Article.objects.published().for_cards().filter(**{relation: obj})
    return list(articles[: DETAIL_NEWS_LIMIT + 1])


# What an article links to, in the order its page lists them.
LINKED = ("clusters", "directions", "projects", "stakeholders", "parks")
LINK_COLUMNS = ("id", "slug", "name", "name_en", "name_ru")
# An id no article has, where the query compiled once (_links_sql) takes the article's.
ANY_ARTICLE = -7_301_946_285


@cache
def _links_sql(language):
    """SQL and parameters of ``linked_entries``' query on pages in ``language``, for the
    article ``ANY_ARTICLE``: built and compiled once per process, as only the article's id
    changes (these models' rules read no clock). Building and compiling the five-part query
    took 3 ms of the 4 it cost at a million articles."""
    parts = []
    for number, relation in enumerate(LINKED):
        field = Article._meta.get_field(relation)
        model = field.related_model
        assert not reads_clock(model), f"{model} is public from a time: compile it each time"
        # Sorted within its part as the model sorts: by "order" first where it has one.
        sort = F("order") if "order" in model._meta.ordering else Value(0)
        rows = model._default_manager.rewrite(False).filter(
            public_condition(model), **{field.related_query_name(): ANY_ARTICLE}
        )
        # By the name as the page shows it: its language's, else the other.
        name = localized("name", language)
        rows = rows.annotate(link_kind=Value(number), link_sort=sort, link_name=name)
        parts.append(
            rows.order_by().values_list("link_kind", "link_sort", "link_name", *LINK_COLUMNS)
        )
    first, *rest = parts
    rows = first.union(*rest, all=True).order_by("link_kind", "link_sort", "link_name", "id")
    sql, params = rows.query.sql_with_params()
    assert params.count(ANY_ARTICLE) == len(LINKED), params
    return sql, params


def linked_entries(article):
    """{relation: [entry, …]} for each of ``LINKED``: the published entries ``article`` links
    to, in their model's order (by name as the page shows it: the Russian one on /ru/ where
    there is one), with only the columns a link shows.

    One query, a UNION ALL of the five: a prefetch of each made five, and building and
    compiling them cost more than the database's work."""
    sql, params = _links_sql(page_language())
    with connection.cursor() as cursor:
        cursor.execute(sql, [article.pk if p == ANY_ARTICLE else p for p in params])
        rows = cursor.fetchall()
    links = {relation: [] for relation in LINKED}
    for number, _sort, _name, *values in rows:
        relation = LINKED[number]
        model = Article._meta.get_field(relation).related_model
        # from_db takes the loaded columns in the order of the model's fields.
        loaded = dict(zip(LINK_COLUMNS, values, strict=True))
        names = [f.attname for f in model._meta.concrete_fields if f.attname in loaded]
        links[relation].append(model.from_db(connection.alias, names, [loaded[n] for n in names]))
    return links


class ArticleListView(ListingView):
    filterset_class = ArticleFilterSet
    template_name = "news/article_list.html"
    section = "news"
    title = _("News")

    def row_queryset(self):
        rows = Article.objects.published().for_cards()
        return textsearch.with_snippets(rows, self.query.text)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["query"] and textsearch.is_capped(context["paginator"].count):
            context["search_limit"] = textsearch.SEARCH_CANDIDATES
        # The feeds take the same filters: these news, as a feed.
        query = query_without(self.request.GET, self.page_kwarg)
        context["filtered_feeds"] = bool(query)
        suffix = f"?{query}" if query else ""
        context["feed_urls"] = {
            "rss": reverse("news:feed-rss") + suffix,
            "atom": reverse("news:feed-atom") + suffix,
        }
        return context


class ArticleDetailView(PublishedDetailView):
    model = Article
    template_name = "news/article_detail.html"

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        article.links = linked_entries(article)
        return article

    def related_articles(self):
        """The newest articles sharing a cluster, project, stakeholder or direction."""
        article = self.object
        others = Article.objects.published().for_cards().exclude(pk=article.pk)
        sharing_per_relation = []
        for relation in ("clusters", "projects", "stakeholders", "directions"):
            mine = [entry.pk for entry in article.links[relation]]
            if mine:
                # One semi-join per relation walks the newest articles with index lookups;
                # an OR of the four would read whole link tables.
                through = getattr(Article, relation).through
                column = Article._meta.get_field(relation).m2m_reverse_name()
                shares = through.objects.filter(
                    article_id=OuterRef("pk"), **{f"{column}__in": mine}
                )
                sharing_per_relation.append(others.filter(Exists(shares)))
        if not sharing_per_relation:
            return []
        if len(sharing_per_relation) == 1:
            # A UNION of one part is the part itself: no union needed.
            return list(sharing_per_relation[0][:RELATED_ARTICLES])
        if connection.features.supports_slicing_ordering_in_compound:
            parts = [sharing[:RELATED_ARTICLES] for sharing in sharing_per_relation]
        else:  # SQLite: the parts of a UNION may not be ordered or sliced
            parts = [sharing.order_by() for sharing in sharing_per_relation]
        first, *rest = parts
        # UNION drops the duplicates; the ordering of the articles applies to the whole.
        return list(first.union(*rest).order_by("-published_at", "-id")[:RELATED_ARTICLES])

    def get_context_data(self, **kwargs):
        return super().get_context_data(related_articles=self.related_articles(), **kwargs)
