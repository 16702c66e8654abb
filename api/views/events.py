"""The events endpoint."""

from events.models import Event
from public.listing.lists import EventFilterSet

from .. import serializers as s
from ..pagination import StableCursorPagination
from .base import PublicViewSet, links


class EventViewSet(PublicViewSet):
    """Forums, meetings and calls, the latest start first (the page lists the upcoming ones
    first; a client may ask for ``year``, or read until the start it needs)."""

    model = Event
    serializer_class = s.EventSerializer
    filterset_class = EventFilterSet
    pagination_class = StableCursorPagination
    ordering = ("-start", "-id")

    def refine(self, queryset):
        queryset = queryset.prefetch_related(
            *links(Event, "clusters", "projects", "stakeholders", "articles"),
        )
        if self.action == "list":
            queryset = queryset.defer("description", "description_en", "description_ru")
        return super().refine(queryset)
