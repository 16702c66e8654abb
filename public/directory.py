"""The directory: projects, stakeholders, parks and clusters, their lists and pages."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from clusters.models import Cluster
from cms.translated import localized, localized_ordering
from portal.models import Direction, Park, Project, Stakeholder
from portal.publishing import published_related

from .base import PublicPageMixin, PublishedDetailView
from .documents import with_documents
from .linked import STAKEHOLDERS_SHOWN, about_empty_list, linked_stakeholders, naming_figure
from .listing.lists import ParkFilterSet, ProjectFilterSet, StakeholderFilterSet
from .listing.views import ListingView
from .news import latest_news_about


def linked_entries(model, relation, end):
    """The project roles or cluster memberships (``relation`` of ``model``) whose other
    ``end`` the public may see, by role, then by that entry's name in the page's language."""
    through = model._meta.get_field(relation).related_model
    ordered = through.objects.order_by("role", localized(f"{end}__name"), "pk")
    return published_related(model, relation, queryset=ordered)


def by_name(model, relation):
    """The related rows the public may see, by name in the page's language (else the other)."""
    related = model._meta.get_field(relation).related_model
    ordered = related.objects.order_by(*localized_ordering(related))
    return published_related(model, relation, queryset=ordered)


class ProjectListView(ListingView):
    filterset_class = ProjectFilterSet
    template_name = "portal/project_list.html"
    section = "projects"
    title = _("Projects")

    def row_queryset(self):
        return Project.objects.published().select_related("direction")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Filtered by one cluster or direction alone and empty: say what it is and what is
        # linked to it (public/linked.py), not a bare "nothing here".
        (name, values), *others = self.query.filters or [(None, ())]
        if not context["rows"] and not others and len(values) == 1:
            entries = {"cluster": Cluster.objects.published(), "direction": Direction.objects}
            obj = entries[name].filter(slug=values[0]).first() if name in entries else None
            if obj is not None:
                context["empty_about"] = about_empty_list(name, obj)
        return context


class ProjectDetailView(PublishedDetailView):
    model = Project
    template_name = "portal/project_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("direction")
            .prefetch_related(
                published_related(Project, "clusters"),
                published_related(
                    Project, "parks", queryset=Park.objects.select_related("park_type")
                ),
                linked_entries(Project, "roles", "stakeholder"),
                with_documents(),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(news=latest_news_about(self.object, "projects"), **kwargs)


class StakeholderListView(ListingView):
    filterset_class = StakeholderFilterSet
    template_name = "portal/stakeholder_list.html"
    section = "stakeholders"
    title = _("Stakeholders")


class StakeholderDetailView(PublishedDetailView):
    model = Stakeholder
    template_name = "portal/stakeholder_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                linked_entries(Stakeholder, "cluster_memberships", "cluster"),
                linked_entries(Stakeholder, "project_roles", "project"),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            news=latest_news_about(self.object, "stakeholders"), **kwargs
        )


class ParkListView(ListingView):
    filterset_class = ParkFilterSet
    template_name = "portal/park_list.html"
    section = "parks"
    title = _("Parks")

    def row_queryset(self):
        return Park.objects.published().select_related("park_type")


class ParkDetailView(PublishedDetailView):
    model = Park
    template_name = "portal/park_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("park_type")
            .prefetch_related(
                published_related(Park, "clusters"),
                by_name(Park, "projects"),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(news=latest_news_about(self.object, "parks"), **kwargs)


class ClusterListView(PublicPageMixin, ListView):
    template_name = "clusters/cluster_list.html"
    context_object_name = "rows"
    paginate_by = settings.PORTAL_PAGE_SIZE
    section = "clusters"
    page_title = _("Clusters")
    page_description = _("The innovation territorial clusters of INO Tomsk.")

    def get_queryset(self):
        return (
            Cluster.objects.published()
            .order_by(*localized_ordering(Cluster))
            .prefetch_related("directions")
        )


class ClusterDetailView(PublishedDetailView):
    model = Cluster
    template_name = "clusters/cluster_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "directions",
                by_name(Cluster, "projects"),
                published_related(
                    Cluster, "parks", queryset=Park.objects.select_related("park_type")
                ),
                linked_entries(Cluster, "memberships", "stakeholder"),
                with_documents(),
            )
        )

    def get_context_data(self, **kwargs):
        cluster = self.object
        context = super().get_context_data(news=latest_news_about(cluster, "clusters"), **kwargs)
        # Without a description of its own: the programme's wording that names the clusters;
        # without members: the stakeholders its projects and news name (public/linked.py).
        if not cluster.description:
            context["cluster_figure"] = naming_figure("cluster")
        if not cluster.memberships.all():
            context["linked_stakeholders"] = linked_stakeholders("cluster", cluster)
            context["stakeholders_shown"] = STAKEHOLDERS_SHOWN
        return context
