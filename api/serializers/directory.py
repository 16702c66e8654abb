"""The directory's serializers: directions, park types, key figures, clusters, projects,
stakeholders and parks, with the roles that link them."""

from rest_framework import serializers

from clusters.models import Cluster, ClusterMembership
from portal.models import (
    Direction,
    KeyFact,
    KeyFactPart,
    Park,
    ParkType,
    Project,
    ProjectStakeholder,
    Stakeholder,
)

from .base import Link, Links, NotStatedAsNull, NullableLink, PublicSerializer


class DirectionSerializer(PublicSerializer):
    endpoint = "direction"

    class Meta:
        model = Direction
        fields = ["url", "slug", "name", "summary", "order", "web_url"]


class ParkTypeSerializer(PublicSerializer):
    endpoint = "park-type"

    class Meta:
        model = ParkType
        fields = ["url", "slug", "name", "order", "web_url"]


class KeyFigurePart(NotStatedAsNull):
    class Meta:
        model = KeyFactPart
        fields = ["label", "value", "value_is_minimum", "unit"]
        read_only_fields = fields


class KeyFigureSerializer(PublicSerializer):
    """An item of "INO Tomsk in figures": its wording (``figure``, ``text``) and, where the
    wording states them, the value with its unit, kind, year, date and source, and further
    figures of the same item (``parts``)."""

    endpoint = "key-figure"
    lookup_field = "order"
    number = serializers.IntegerField(source="order")
    parts = KeyFigurePart(many=True, read_only=True)

    class Meta:
        model = KeyFact
        fields = [
            "url",
            "number",
            "figure",
            "text",
            "label",
            "value",
            "value_is_minimum",
            "unit",
            "kind",
            "target_year",
            "as_of",
            "source_title",
            "source_url",
            "parts",
            "web_url",
        ]


class StakeholderRole(NotStatedAsNull):
    stakeholder = Link("stakeholder")

    class Meta:
        model = ProjectStakeholder
        fields = ["stakeholder", "role"]
        read_only_fields = fields


class ProjectRole(NotStatedAsNull):
    project = Link("project")

    class Meta:
        model = ProjectStakeholder
        fields = ["project", "role"]
        read_only_fields = fields


class ClusterMember(NotStatedAsNull):
    stakeholder = Link("stakeholder")

    class Meta:
        model = ClusterMembership
        fields = ["stakeholder", "role"]
        read_only_fields = fields


class ClusterSerializer(PublicSerializer):
    endpoint = "cluster"
    directions = Links("direction")
    projects = Links("project")
    parks = Links("park")
    members = ClusterMember(source="memberships", many=True, read_only=True)

    class Meta:
        model = Cluster
        fields = [
            "url",
            "slug",
            "name",
            "summary",
            "description",
            "order",
            "image",
            "image_alt",
            "directions",
            "projects",
            "parks",
            "members",
            "updated_at",
            "web_url",
        ]


class ProjectSerializer(PublicSerializer):
    endpoint = "project"
    direction = NullableLink("direction")
    clusters = Links("cluster")
    parks = Links("park")
    stakeholders = StakeholderRole(source="roles", many=True, read_only=True)
    status_label = serializers.CharField(source="get_status_display", allow_null=True)

    class Meta:
        model = Project
        list_fields = [
            "url",
            "slug",
            "name",
            "summary",
            "status",
            "status_label",
            "direction",
            "clusters",
            "parks",
            "stakeholders",
            "start_date",
            "end_date",
            "budget",
            "jobs_created",
            "website",
            "image",
            "image_alt",
            "updated_at",
            "web_url",
        ]
        fields = [*list_fields, "description"]


class StakeholderSerializer(PublicSerializer):
    endpoint = "stakeholder"
    kind_label = serializers.CharField(source="get_kind_display", allow_null=True)
    clusters = Links("cluster")
    projects = ProjectRole(source="project_roles", many=True, read_only=True)

    class Meta:
        model = Stakeholder
        list_fields = [
            "url",
            "slug",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "website",
            "city",
            "country",
            "logo",
            "logo_alt",
            "clusters",
            "projects",
            "updated_at",
            "web_url",
        ]
        fields = [*list_fields, "description"]


class ParkSerializer(PublicSerializer):
    endpoint = "park"
    type = Link("park-type", source="park_type")
    clusters = Links("cluster")
    projects = Links("project")

    class Meta:
        model = Park
        list_fields = [
            "url",
            "slug",
            "name",
            "type",
            "address",
            "latitude",
            "longitude",
            "area",
            "clusters",
            "projects",
            "image",
            "image_alt",
            "updated_at",
            "web_url",
        ]
        fields = [*list_fields, "description"]
