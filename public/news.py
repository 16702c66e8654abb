"""The news section: the article list with its filters, and the article page."""

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from news import facet_counts
from news.models import Article
from portal.models import Direction, Park, Project, Stakeholder

from . import news_counts, textsearch
from .caching import versioned
from .facets import InLanguageFilter, LargeSlugFilter, OptionListFilter, QueryFilter, YearFilter
from .filtersets import FacetedFilterSet
from .links import query_without
from .lists import FacetedListView, PublishedDetailView

RELATED_ARTICLES = 3
DETAIL_NEWS_LIMIT = 5


def latest_news_about(obj, relation):
    """The latest published articles linked to ``obj`` through ``relation``, one more than
    shown (the page links to all of them when there are more)."""
    articles = Article.objects.published().for_cards().filter(**{relation: obj})
    return list(articles[: DETAIL_NEWS_LIMIT + 1])


class ArticleFilterSet(FacetedFilterSet):
    q = QueryFilter(search=textsearch.search_articles)
    cluster = OptionListFilter(label=_("Cluster"), kind="cluster", relation="clusters")
    direction = OptionListFilter(label=_("Direction"), kind="direction", relation="directions")
    project = LargeSlugFilter(label=_("Project"), model=Project, relation="projects")
    stakeholder = LargeSlugFilter(
        label=_("Stakeholder"), model=Stakeholder, relation="stakeholders"
    )
    park = LargeSlugFilter(label=_("Park"), model=Park, relation="parks")
    year = YearFilter(label=_("Year"))

    translated = InLanguageFilter()

    class Meta:
        model = Article
        fields = []

    def kept_counts(self):
        """The kept counts covering this list (PostgreSQL, at most one filter value), or None."""
        if not hasattr(self, "_kept_counts"):
            within = news_counts.single_filter(self.active) if facet_counts.is_kept() else None
            self._kept_counts = None if within is None else news_counts.KeptCounts(within)
        return self._kept_counts

    def _compute_facets(self, active):
        kept = self.kept_counts()
        return kept.facets(self, active) if kept else super()._compute_facets(active)


class ArticleListView(FacetedListView):
    model = Article
    filterset_class = ArticleFilterSet
    template_name = "news/article_list.html"
    section = "news"
    title = _("News")

    def row_queryset(self):
        rows = Article.objects.published().for_cards()
        return textsearch.with_snippets(rows, self.search_text())

    def known_count(self):
        kept = self.filterset.kept_counts()
        return kept.total() if kept else None

    def matching_rows(self):
        rows = super().matching_rows()
        if not self.search_text():
            return rows
        # Ranking the matches is the costly part of a search, and its order holds until
        # content changes: the ranked keys are kept for the content version.
        return versioned(
            "matches", [self.filterset.cache_key], lambda: list(rows.values_list("pk", flat=True))
        )

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
        published = {
            "clusters": Cluster.objects.published(),
            "projects": Project.objects.published(),
            "stakeholders": Stakeholder.objects.published(),
            "parks": Park.objects.published(),
            "directions": Direction.objects.all(),
        }
        return (
            super()
            .get_queryset()
            .prefetch_related(*(Prefetch(name, queryset=qs) for name, qs in published.items()))
        )

    def is_public(self, obj):
        return obj.is_public

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
