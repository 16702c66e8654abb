"""The directory in the admin: directions, key figures, park types, stakeholders, parks and
projects, on the admin platform's bases (cms/publishing.py, cms/editing.py, cms/versions.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cms.bilingual import TranslatedAdmin
from cms.content_admin import ContentAdmin
from cms.editing import EditorAdminMixin, PublicationFilter
from cms.place_picker import PlacePickerAdmin
from cms.publishing import DirectoryAdmin
from cms.spreadsheet_admin import SpreadsheetAdmin
from cms.versions import register

from .models import (
    Direction,
    KeyFact,
    KeyFactPart,
    Park,
    ParkType,
    Project,
    ProjectStakeholder,
    Stakeholder,
)
from .resources import ParkResource, ProjectResource, StakeholderResource

# Versions kept of each save (cms/versions.py). A project's version holds its
# stakeholder roles; clusters/admin.py adds the cluster links of stakeholders.
register(Direction)
register(KeyFact, follow=["parts"])
register(KeyFactPart)
register(ParkType)
register(Park)
register(Stakeholder)
register(Project, follow=["roles"])
register(ProjectStakeholder)


@admin.register(Direction)
class DirectionAdmin(EditorAdminMixin, TranslatedAdmin, ContentAdmin):
    list_display = ["name", "order", "slug"]
    list_editable = ["order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


class KeyFactPartInline(admin.TabularInline):
    model = KeyFactPart
    extra = 0
    fields = [
        "order",
        "value",
        "value_is_minimum",
        "unit_en",
        "unit_ru",
        "label_en",
        "label_ru",
        "live_count",
    ]
    verbose_name = _("further figure in the same item")
    verbose_name_plural = _("further figures in the same item")


@admin.register(KeyFact)
class KeyFactAdmin(EditorAdminMixin, TranslatedAdmin, ContentAdmin):
    list_display = ["order", "figure", "label", "value", "unit", "kind", "target_year", "as_of"]
    list_display_links = ["order", "figure"]
    list_filter = ["kind", "live_count"]
    search_fields = ["figure", "text", "label"]
    inlines = [KeyFactPartInline]
    fieldsets = [
        (None, {"fields": ["order", "figure", "text"]}),
        (
            _("As a statistic"),
            {
                "fields": [
                    "label",
                    ("value", "value_is_minimum"),
                    "unit",
                    "kind",
                    ("target_year", "as_of"),
                ],
                "description": _(
                    "Only what the item's wording states: leave a field empty where it says "
                    "nothing (no date, no year)."
                ),
            },
        ),
        (_("Source"), {"fields": ["source_title", "source_url"]}),
        (_("Directory"), {"fields": ["live_count"]}),
    ]


@admin.register(ParkType)
class ParkTypeAdmin(EditorAdminMixin, TranslatedAdmin, ContentAdmin):
    list_display = ["name", "order", "slug"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Stakeholder)
class StakeholderAdmin(PlacePickerAdmin, SpreadsheetAdmin, DirectoryAdmin):
    resource_classes = [StakeholderResource]  # spreadsheet import and export
    list_display = ["name", "short_name", "kind", "city", "country", "publication"]
    list_filter = [PublicationFilter, "kind", "country"]
    search_fields = ["name", "short_name", "description", "city"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "is_published"]}),
        (_("About"), {"fields": ["description", "website", "city", "country"]}),
        (_("Location"), {"fields": ["address", "latitude", "longitude"]}),
        (_("Logo"), {"fields": ["logo", "logo_alt"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(Park)
class ParkAdmin(PlacePickerAdmin, SpreadsheetAdmin, DirectoryAdmin):
    resource_classes = [ParkResource]  # spreadsheet import and export
    list_display = ["name", "park_type", "address", "publication"]
    list_filter = [PublicationFilter, "park_type"]
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
class ProjectAdmin(SpreadsheetAdmin, DirectoryAdmin):
    resource_classes = [ProjectResource]  # spreadsheet import and export
    list_display = ["name", "status", "direction", "start_date", "is_featured", "publication"]
    list_filter = [PublicationFilter, "status", "is_featured", "direction"]
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
