"""The programme's serializers: the roadmap's actions and the documents."""

from rest_framework import serializers

from programme.models import Document, RoadmapAction

from .base import Links, NullableLink, PublicSerializer


class RoadmapActionSerializer(PublicSerializer):
    endpoint = "roadmap-action"
    lookup_field = "number"
    direction = NullableLink("direction")
    stakeholders = Links("stakeholder")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = RoadmapAction
        fields = [
            "url",
            "number",
            "title",
            "description",
            "direction",
            "stakeholders",
            "due_date",
            "status",
            "status_label",
            "progress_note",
            "updated_at",
            "web_url",
        ]


class DocumentSerializer(PublicSerializer):
    """``web_url`` downloads the file."""

    endpoint = "document"
    clusters = Links("cluster")
    projects = Links("project")
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Document
        fields = [
            "url",
            "slug",
            "title",
            "date",
            "kind",
            "kind_label",
            "language",
            "file_format",
            "file_size",
            "clusters",
            "projects",
            "updated_at",
            "web_url",
        ]
