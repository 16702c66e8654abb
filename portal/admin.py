from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Direction, KeyFact, Park, ParkType, Project, ProjectStakeholder, Stakeholder


class DirectoryAdmin(admin.ModelAdmin):
    """Shared set-up for the publishable directory models."""

    list_per_page = 50
    save_on_top = True
    readonly_fields = ["created_at", "updated_at"]

    @admin.action(description=_("Publish the selected entries"))
    def make_published(self, request, queryset):
        updated = queryset.update(is_published=True)
        self.message_user(request, _("%(count)d entries published.") % {"count": updated})

    @admin.action(description=_("Hide the selected entries (draft)"))
    def make_draft(self, request, queryset):
        updated = queryset.update(is_published=False)
        self.message_user(request, _("%(count)d entries hidden.") % {"count": updated})

    actions = ["make_published", "make_draft"]


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "slug"]
    list_editable = ["order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(KeyFact)
class KeyFactAdmin(admin.ModelAdmin):
    list_display = ["order", "figure", "text"]
    list_display_links = ["order", "figure"]
    search_fields = ["figure", "text"]


@admin.register(ParkType)
class ParkTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "slug"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Stakeholder)
class StakeholderAdmin(DirectoryAdmin):
    list_display = ["name", "short_name", "kind", "city", "country", "is_published"]
    list_filter = ["is_published", "kind", "country"]
    search_fields = ["name", "short_name", "description", "city"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "is_published"]}),
        (_("About"), {"fields": ["description", "website", "city", "country"]}),
        (_("Logo"), {"fields": ["logo", "logo_alt"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(Park)
class ParkAdmin(DirectoryAdmin):
    list_display = ["name", "park_type", "address", "is_published"]
    list_filter = ["is_published", "park_type"]
    list_select_related = ["park_type"]
    search_fields = ["name", "description", "address"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["park_type"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "park_type", "is_published"]}),
        (_("About"), {"fields": ["description", "address", "area"]}),
        (_("Location"), {"fields": ["latitude", "longitude"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


class ProjectStakeholderInline(admin.TabularInline):
    model = ProjectStakeholder
    extra = 1
    autocomplete_fields = ["stakeholder"]
    verbose_name = _("stakeholder and role")
    verbose_name_plural = _("stakeholders and their roles")


@admin.register(Project)
class ProjectAdmin(DirectoryAdmin):
    list_display = ["name", "status", "direction", "start_date", "is_featured", "is_published"]
    list_filter = ["is_published", "status", "is_featured", "direction"]
    list_select_related = ["direction"]
    search_fields = ["name", "summary", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["direction", "parks"]
    inlines = [ProjectStakeholderInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "is_published", "is_featured"]}),
        (_("About"), {"fields": ["summary", "description", "website"]}),
        (_("Links"), {"fields": ["direction", "parks"]}),
        (_("Figures"), {"fields": ["start_date", "end_date", "budget", "jobs_created"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
