"""The news section: the article list with its filters, and the article page."""

from functools import cache

from django.db import connection
from django.db.models import Exists, F, OuterRef, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.translated import localized, page_language
from news.models import Article
from portal.publishing import public_condition, reads_clock

from . import textsearch
from .base import PublishedDetailView
from .links import query_without
from .listing.lists import ArticleFilterSet
from .listing.views import ListingView
from .precompiled import ANY_ID, ANY_TIME, Precompiled

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
# What related news share with the article, in the order of the union's parts.
SHARED = ("clusters", "projects", "stakeholders", "directions")


@cache
def _links_query(language):
    """``linked_entries``' query on pages in ``language``, for the article ``ANY_ID``:
    built once per process, as only the article's id changes (these models' rules read no
    clock). Building and compiling the five-part query took 3 ms of the 4 it cost at a
    million articles."""
    parts = []
    for number, relation in enumerate(LINKED):
        field = Article._meta.get_field(relation)
        model = field.related_model
        assert not reads_clock(model), f"{model} is public from a time: compile it each time"
        # Sorted within its part as the model sorts: by "order" first where it has one.
        sort = F("order") if "order" in model._meta.ordering else Value(0)
        rows = model._default_manager.rewrite(False).filter(
            public_condition(model), **{field.related_query_name(): ANY_ID}
        )
        # By the name as the page shows it: its language's, else the other.
        name = localized("name", language)
        rows = rows.annotate(link_kind=Value(number), link_sort=sort, link_name=name)
        parts.append(
            rows.order_by().values_list("link_kind", "link_sort", "link_name", *LINK_COLUMNS)
        )
    first, *rest = parts
    rows = first.union(*rest, all=True).order_by("link_kind", "link_sort", "link_name", "id")
    return Precompiled(rows, {ANY_ID: len(LINKED)})


def linked_entries(article):
    """{relation: [entry, …]} for each of ``LINKED``: the published entries ``article`` links
    to, in their model's order (by name as the page shows it: the Russian one on /ru/ where
    there is one), with only the columns a link shows.

    One query, a UNION ALL of the five: a prefetch of each made five, and building and
    compiling them cost more than the database's work."""
    links = {relation: [] for relation in LINKED}
    for number, _sort, _name, *values in _links_query(page_language()).fetchall(article.pk):
        relation = LINKED[number]
        model = Article._meta.get_field(relation).related_model
        # from_db takes the loaded columns in the order of the model's fields.
        loaded = dict(zip(LINK_COLUMNS, values, strict=True))
        names = [f.attname for f in model._meta.concrete_fields if f.attname in loaded]
        links[relation].append(model.from_db(connection.alias, names, [loaded[n] for n in names]))
    return links


@cache
def _related_query(relations):
    """``related_articles``' query for an article linked through ``relations`` (some of
    ``SHARED``), for the article ``ANY_ID`` at the time ``ANY_TIME``: built once per process
    and set of relations. Building and compiling its four parts each time cost some 5 ms."""
    others = Article.objects.published(at=ANY_TIME).for_cards().exclude(pk=ANY_ID)
    parts = []
    for relation in relations:
        field = Article._meta.get_field(relation)
        model = field.related_model
        assert not reads_clock(model), f"{model} is public from a time: give it ANY_TIME"
        mine = model._default_manager.filter(
            public_condition(model), **{field.related_query_name(): ANY_ID}
        )
        # One semi-join per relation walks the newest articles with index lookups; an OR of
        # the four would read whole link tables.
        shares = field.remote_field.through.objects.filter(
            article_id=OuterRef("pk"), **{f"{field.m2m_reverse_name()}__in": mine.values("pk")}
        )
        parts.append(others.filter(Exists(shares)))
    # Each part names the article twice (not itself, what it links to) and the time once.
    uses = {ANY_ID: 2 * len(parts), ANY_TIME: len(parts)}
    if len(parts) == 1:
        # A UNION of one part is the part itself: no union needed.
        return Precompiled(parts[0][:RELATED_ARTICLES], uses)
    if connection.features.supports_slicing_ordering_in_compound:
        parts = [part[:RELATED_ARTICLES] for part in parts]
    else:  # SQLite: the parts of a UNION may not be ordered or sliced
        parts = [part.order_by() for part in parts]
    first, *rest = parts
    # UNION drops the duplicates; the ordering of the articles applies to the whole.
    rows = first.union(*rest).order_by("-published_at", "-id")[:RELATED_ARTICLES]
    return Precompiled(rows, uses)


def related_articles(article):
    """The newest published articles sharing a published cluster, project or stakeholder, or
    a direction, with ``article`` (whose ``links`` are loaded)."""
    relations = tuple(relation for relation in SHARED if article.links[relation])
    if not relations:
        return []
    return _related_query(relations).instances(article.pk, timezone.now())


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

    def get_context_data(self, **kwargs):
        return super().get_context_data(related_articles=related_articles(self.object), **kwargs)
