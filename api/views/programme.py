"""The programme's endpoints: the roadmap's actions and the documents."""

from django.db.models import F

from programme.models import Document, RoadmapAction
from public.listing.lists import DocumentFilterSet, RoadmapActionFilterSet

from .. import serializers as s
from ..pagination import StableCursorPagination
from .base import PublicViewSet, links


class RoadmapActionViewSet(PublicViewSet):
    """The actions of the programme's roadmap, by number."""

    model = RoadmapAction
    serializer_class = s.RoadmapActionSerializer
    filterset_class = RoadmapActionFilterSet
    pagination_class = StableCursorPagination
    ordering = ("number",)
    lookup_field = "number"

    def valid_lookup(self, value):
        return value.isascii() and value.isdigit() and len(value) <= 9

    def refine(self, queryset):
        return super().refine(
            queryset.select_related("direction").prefetch_related(
                *links(RoadmapAction, "stakeholders"),
            )
        )


class DocumentViewSet(PublicViewSet):
    """The programme's documents, the latest first (those without a date last); a short list,
    one page. ``web_url`` downloads the file."""

    model = Document
    serializer_class = s.DocumentSerializer
    filterset_class = DocumentFilterSet
    ordering = (F("date").desc(nulls_last=True), "slug")

    def refine(self, queryset):
        return super().refine(
            queryset.defer("created_at").prefetch_related(
                *links(Document, "clusters", "projects"),
            )
        )
