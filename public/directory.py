"""The directory: projects, stakeholders, parks and clusters, their lists and pages."""

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import ListView

from clusters.models import Cluster, ClusterMembership
from cms.translated import localized, localized_ordering
from portal.models import Direction, Park, Project, ProjectStakeholder, Stakeholder

from . import textsearch
from .documents import with_documents
from .facets import (
    ChoiceFacetFilter,
    InLanguageFilter,
    LargeSlugFilter,
    OptionListFilter,
    QueryFilter,
)
from .filtersets import FacetedFilterSet
from .linked import STAKEHOLDERS_SHOWN, about_empty_list, linked_stakeholders, naming_figure
from .lists import FacetedListView, PublicPageMixin, PublishedDetailView
from .news import latest_news_about


class ProjectFilterSet(FacetedFilterSet):
    q = QueryFilter(search=textsearch.match_words)
    cluster = OptionListFilter(label=_("Cluster"), kind="cluster", relation="clusters")
    direction = OptionListFilter(label=_("Direction"), kind="direction", relation="direction")
    park = LargeSlugFilter(label=_("Park"), model=Park, relation="parks")
    stakeholder = LargeSlugFilter(
        label=_("Stakeholder"), model=Stakeholder, relation="stakeholders"
    )
    status = ChoiceFacetFilter(label=_("Status"), choices=Project.Status.choices)

    translated = InLanguageFilter()

    class Meta:
        model = Project
        fields = []


class StakeholderFilterSet(FacetedFilterSet):
    q = QueryFilter(search=textsearch.match_words)
    kind = ChoiceFacetFilter(
        label=pgettext_lazy("stakeholder", "Kind"), choices=Stakeholder.Kind.choices
    )
    cluster = OptionListFilter(label=_("Cluster"), kind="cluster", relation="clusters")

    translated = InLanguageFilter()

    class Meta:
        model = Stakeholder
        fields = []


class ParkFilterSet(FacetedFilterSet):
    type = OptionListFilter(label=_("Type"), kind="type", relation="park_type")
    cluster = OptionListFilter(label=_("Cluster"), kind="cluster", relation="clusters")

    translated = InLanguageFilter()

    class Meta:
        model = Park
        fields = []


def roles_with_published(field):
    """Project roles whose ``field`` (project or stakeholder) the public may see."""
    model = {"project": Project, "stakeholder": Stakeholder}[field]
    return (
        ProjectStakeholder.objects.filter(**{f"{field}__in": model.objects.published()})
        .select_related(field)
        .order_by("role", localized(f"{field}__name"), "pk")
    )


def memberships_with_published(field):
    """Cluster memberships whose ``field`` (cluster or stakeholder) the public may see."""
    model = {"cluster": Cluster, "stakeholder": Stakeholder}[field]
    return (
        ClusterMembership.objects.filter(**{f"{field}__in": model.objects.published()})
        .select_related(field)
        .order_by("role", localized(f"{field}__name"), "pk")
    )


def published_by_name(model):
    """The published rows of ``model`` by name in the page's language (else the other)."""
    return model.objects.published().order_by(*localized_ordering(model))


class ProjectListView(FacetedListView):
    model = Project
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
        (name, values), *others = self.filterset.active.items() or [(None, [])]
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
                Prefetch("clusters", queryset=Cluster.objects.published()),
                Prefetch("parks", queryset=Park.objects.published().select_related("park_type")),
                Prefetch("roles", queryset=roles_with_published("stakeholder")),
                with_documents(),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(news=latest_news_about(self.object, "projects"), **kwargs)


class StakeholderListView(FacetedListView):
    model = Stakeholder
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
                Prefetch("cluster_memberships", queryset=memberships_with_published("cluster")),
                Prefetch("project_roles", queryset=roles_with_published("project")),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            news=latest_news_about(self.object, "stakeholders"), **kwargs
        )


class ParkListView(FacetedListView):
    model = Park
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
                Prefetch("clusters", queryset=Cluster.objects.published()),
                Prefetch("projects", queryset=published_by_name(Project)),
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
        return published_by_name(Cluster).prefetch_related("directions")


class ClusterDetailView(PublishedDetailView):
    model = Cluster
    template_name = "clusters/cluster_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "directions",
                Prefetch("projects", queryset=published_by_name(Project)),
                Prefetch("parks", queryset=Park.objects.published().select_related("park_type")),
                Prefetch("memberships", queryset=memberships_with_published("stakeholder")),
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
