from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "is_public", "source"]
    list_filter = ["status", "clusters", "directions"]
    search_fields = ["title", "lead", "body", "source"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["clusters", "projects", "stakeholders", "parks", "directions"]
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "published_at"]}),
        (_("Text"), {"fields": ["lead", "body", "source", "source_url"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (
            _("Related"),
            {"fields": ["clusters", "directions", "projects", "stakeholders", "parks"]},
        ),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(boolean=True, description=_("on the site"))
    def is_public(self, obj):
        return obj.is_public
