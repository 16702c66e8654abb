"""Admin for clusters, plus the cluster links shown on project, park and stakeholder pages.

Those models live in the portal app, which must not import this one, so their admin
classes are extended here with cluster inlines.
"""

import reversion
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.editing import PublicationFilter
from cms.publishing import DirectoryAdmin
from cms.versions import register
from portal.admin import ParkAdmin, ProjectAdmin, StakeholderAdmin
from portal.models import Park, Project, Stakeholder

from .models import Cluster, ClusterMembership

# Versions (cms/versions.py): a cluster's version holds its members and roles, and a
# stakeholder's its cluster memberships, as each page edits them inline.
register(Cluster, follow=["memberships"])
register(ClusterMembership)
register(Stakeholder, follow=["cluster_memberships"])


# Readable names for the rows linking a cluster to its projects and parks (Django's own
# through models, named "Cluster_projects object (1)" otherwise): shown on the project and
# park forms and on delete confirmations.
def _link_names(through, target, singular, plural):
    def __str__(self):
        return gettext("%(item)s in %(cluster)s") % {
            "item": getattr(self, target),
            "cluster": self.cluster,
        }

    through.__str__ = __str__
    through._meta.verbose_name = singular
    through._meta.verbose_name_plural = plural


_link_names(Cluster.projects.through, "project", _("project in cluster"), _("projects in clusters"))
_link_names(Cluster.parks.through, "park", _("park in cluster"), _("parks in clusters"))


class ClusterMembershipInline(admin.TabularInline):
    model = ClusterMembership
    extra = 1
    autocomplete_fields = ["stakeholder"]
    verbose_name = _("member and role")
    verbose_name_plural = _("members and their roles")


@admin.register(Cluster)
class ClusterAdmin(DirectoryAdmin):
    list_display = ["name", "order", "member_count", "publication"]
    list_filter = [PublicationFilter, "directions"]
    search_fields = ["name", "summary", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["directions", "projects", "parks"]
    inlines = [ClusterMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "order", "is_published"]}),
        (_("About"), {"fields": ["summary", "description"]}),
        (_("Links"), {"fields": ["directions", "projects", "parks"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj):
        return obj._member_count


class ClusterLinkInline(admin.TabularInline):
    extra = 1
    autocomplete_fields = ["cluster"]

    def get_queryset(self, request):
        # Each row's label names both ends.
        relations = [field.name for field in self.model._meta.fields if field.is_relation]
        return super().get_queryset(request).select_related(*relations)


class ClusterProjectInline(ClusterLinkInline):
    model = Cluster.projects.through
    verbose_name = _("project in cluster")
    verbose_name_plural = _("clusters of this project")


class ClusterParkInline(ClusterLinkInline):
    model = Cluster.parks.through
    verbose_name = _("park in cluster")
    verbose_name_plural = _("clusters of this park")


class StakeholderMembershipInline(ClusterMembershipInline):
    autocomplete_fields = ["cluster"]
    verbose_name = _("cluster membership")
    verbose_name_plural = _("cluster memberships")


class ClusterLinksVersioned:
    """The links edited here belong to the clusters: each cluster whose links change gets a
    version in the same save, so its history shows the change (restoring the project or park
    never restores the cluster: cms.restore.revert_object)."""

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model not in (Cluster.projects.through, Cluster.parks.through):
            return
        if not reversion.is_active():
            return
        rows = [*formset.new_objects, *formset.deleted_objects]
        rows += [row for row, _fields in formset.changed_objects]
        for cluster in Cluster.objects.filter(pk__in={row.cluster_id for row in rows}):
            reversion.add_to_revision(cluster)


admin.site.unregister(Project)
admin.site.unregister(Park)
admin.site.unregister(Stakeholder)


@admin.register(Project)
class ProjectWithClustersAdmin(ClusterLinksVersioned, ProjectAdmin):
    inlines = [*ProjectAdmin.inlines, ClusterProjectInline]
    list_filter = [*ProjectAdmin.list_filter, "clusters"]


@admin.register(Park)
class ParkWithClustersAdmin(ClusterLinksVersioned, ParkAdmin):
    inlines = [*ParkAdmin.inlines, ClusterParkInline]
    list_filter = [*ParkAdmin.list_filter, "clusters"]


@admin.register(Stakeholder)
class StakeholderWithClustersAdmin(StakeholderAdmin):
    inlines = [*StakeholderAdmin.inlines, StakeholderMembershipInline]
    list_filter = [*StakeholderAdmin.list_filter, "clusters"]
