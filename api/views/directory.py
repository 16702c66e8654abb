"""The directory's endpoints: projects, stakeholders, parks, clusters, and the short fixed
lists (directions, park types, key figures)."""

from clusters.models import Cluster
from portal.models import (
    Direction,
    KeyFact,
    Park,
    ParkType,
    Project,
    Stakeholder,
)
from public.listing.lists import (
    ParkFilterSet,
    ProjectFilterSet,
    StakeholderFilterSet,
)

from .. import serializers as s
from ..pagination import StableCursorPagination
from .base import ByNameMixin, FixedListViewSet, PublicViewSet, links, roles


class ProjectViewSet(ByNameMixin, PublicViewSet):
    """Projects, by name."""

    model = Project
    serializer_class = s.ProjectSerializer
    filterset_class = ProjectFilterSet
    pagination_class = StableCursorPagination

    def refine(self, queryset):
        return super().refine(
            queryset.select_related("direction").prefetch_related(
                *links(Project, "clusters", "parks"),
                roles(Project, "roles", "stakeholder"),
            )
        )


class StakeholderViewSet(ByNameMixin, PublicViewSet):
    """Stakeholders (organisations), by name."""

    model = Stakeholder
    serializer_class = s.StakeholderSerializer
    filterset_class = StakeholderFilterSet
    pagination_class = StableCursorPagination

    def refine(self, queryset):
        return super().refine(
            queryset.prefetch_related(
                *links(Stakeholder, "clusters"),
                roles(Stakeholder, "project_roles", "project"),
            )
        )


class ParkViewSet(ByNameMixin, PublicViewSet):
    """Parks and other territories, by name."""

    model = Park
    serializer_class = s.ParkSerializer
    filterset_class = ParkFilterSet
    pagination_class = StableCursorPagination

    def refine(self, queryset):
        return super().refine(
            queryset.select_related("park_type").prefetch_related(
                *links(Park, "clusters", "projects"),
            )
        )


class ClusterViewSet(PublicViewSet):
    """The innovation territorial clusters, in the programme's order (a short list, one page)."""

    model = Cluster
    serializer_class = s.ClusterSerializer
    ordering = ("order", "slug")

    def refine(self, queryset):
        return super().refine(
            queryset.prefetch_related(
                *links(Cluster, "directions", "projects", "parks"),
                roles(Cluster, "memberships", "stakeholder"),
            )
        )


class DirectionViewSet(FixedListViewSet):
    """The five strategic directions."""

    model = Direction
    serializer_class = s.DirectionSerializer


class ParkTypeViewSet(FixedListViewSet):
    """The types of park."""

    model = ParkType
    serializer_class = s.ParkTypeSerializer


class KeyFigureViewSet(FixedListViewSet):
    """INO Tomsk in figures, by number."""

    model = KeyFact
    serializer_class = s.KeyFigureSerializer
    ordering = ("order",)
    lookup_field = "order"

    def refine(self, queryset):
        return super().refine(queryset.prefetch_related("parts"))

    def valid_lookup(self, value):
        return value.isascii() and value.isdigit() and len(value) <= 5
