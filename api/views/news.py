"""The news endpoint."""

from news.models import Article
from public.listing.lists import ArticleFilterSet

from .. import serializers as s
from ..pagination import StableCursorPagination
from .base import PublicViewSet, links


class ArticleViewSet(PublicViewSet):
    """News articles, newest first. The list has the lead; one article has its body too
    (Markdown)."""

    model = Article
    serializer_class = s.ArticleSerializer
    filterset_class = ArticleFilterSet
    pagination_class = StableCursorPagination
    ordering = ("-published_at", "-id")

    def refine(self, queryset):
        queryset = queryset.prefetch_related(
            *links(Article, "clusters", "projects", "stakeholders", "parks", "directions"),
        ).defer("search_vector", "search_vector_ru")
        if self.action == "list":
            queryset = queryset.defer("body", "body_en", "body_ru")
        return super().refine(queryset)
