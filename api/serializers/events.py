"""The events' serializer."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Event

from .base import Links, PublicSerializer


class EventSerializer(PublicSerializer):
    endpoint = "event"
    registration_url = serializers.URLField(source="url")
    calendar_url = serializers.SerializerMethodField()
    clusters = Links("cluster")
    projects = Links("project")
    stakeholders = Links("stakeholder")
    articles = Links("article")

    class Meta:
        model = Event
        list_fields = [
            "url",
            "slug",
            "title",
            "start",
            "end",
            "all_day",
            "time_zone",
            "place",
            "registration_url",
            "clusters",
            "projects",
            "stakeholders",
            "articles",
            "image",
            "image_alt",
            "updated_at",
            "web_url",
            "calendar_url",
        ]
        fields = [*list_fields, "description"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_calendar_url(self, obj):
        return self._absolute(obj.get_calendar_url())
