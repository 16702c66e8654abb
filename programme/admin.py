"""Admin of the roadmap, the pages and the documents: side-by-side languages, versions, edit
conflicts and the publishing rules of the roles, as for the directory (cms/publishing.py)."""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cms.editing import PublicationFilter
from cms.publishing import DirectoryAdmin
from cms.spreadsheet_admin import SpreadsheetAdmin
from cms.versions import register

from .models import Document, Page, RoadmapAction
from .resources import RoadmapActionResource

# Versions (cms/versions.py); the links (stakeholders, clusters, projects) are part
# of each version.
register(RoadmapAction)
register(Page)
register(Document)


@admin.register(RoadmapAction)
class RoadmapActionAdmin(SpreadsheetAdmin, DirectoryAdmin):
    resource_classes = [RoadmapActionResource]  # spreadsheet import and export
    list_display = ["number", "title", "direction", "due_date", "status", "publication"]
    list_display_links = ["number", "title"]
    list_filter = [PublicationFilter, "status", "direction", "stakeholders"]
    list_select_related = ["direction"]
    search_fields = ["title", "description", "progress_note"]
    autocomplete_fields = ["direction", "stakeholders"]
    fieldsets = [
        (None, {"fields": ["number", "title", "status", "is_published"]}),
        (_("About"), {"fields": ["description", "progress_note", "due_date"]}),
        (_("Links"), {"fields": ["direction", "stakeholders"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(Page)
class PageAdmin(DirectoryAdmin):
    list_display = ["title", "placement", "order", "slug", "publication"]
    list_filter = [PublicationFilter, "placement"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "placement", "order", "is_published"]}),
        (_("Text"), {"fields": ["body"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(Document)
class DocumentAdmin(DirectoryAdmin):
    list_display = ["title", "kind", "language", "date", "format_and_size", "publication"]
    list_filter = [PublicationFilter, "kind", "language", "file_format", "clusters"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["clusters", "projects"]
    readonly_fields = ["format_and_size", "created_at", "updated_at"]
    date_hierarchy = "date"
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "language", "date", "is_published"]}),
        (
            _("File"),
            {
                "fields": ["file", "format_and_size"],
                "description": _(
                    "PDF, DOCX, XLSX, ODT or ODS. The type is read from the file's content, "
                    "whatever its name says; other files are refused."
                ),
            },
        ),
        (_("Links"), {"fields": ["clusters", "projects"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("format and size"))
    def format_and_size(self, obj):
        if obj is None or not obj.file_format:
            return "—"
        return f"{obj.format.label}, {filesizeformat(obj.file_size)}"
