"""The news section: the article list with its filters, and the article page."""

from django.db import connection
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from news.models import Article
from portal.publishing import published_related

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

    def get_queryset(self):
        relations = ("clusters", "projects", "stakeholders", "parks", "directions")
        return super().get_queryset().prefetch_related(*(self.linked(name) for name in relations))

    @staticmethod
    def linked(relation):
        """The published entries of ``relation``, with only the columns their links show (a
        project's or stakeholder's description in both languages is most of its row)."""
        model = Article._meta.get_field(relation).related_model
        ordering = [name.lstrip("-") for name in model._meta.ordering]
        return published_related(Article, relation, only=["slug", "name", *ordering])

    def related_articles(self):
        """The newest articles sharing a cluster, project, stakeholder or direction."""
        article = self.object
        others = Article.objects.published().for_cards().exclude(pk=article.pk)
        sharing_per_relation = []
        for relation in ("clusters", "projects", "stakeholders", "directions"):
            mine = [obj.pk for obj in getattr(article, relation).all()]  # prefetched
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
