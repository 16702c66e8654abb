from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.editing import DRAFT, PUBLICATION_LABELS, PUBLISHED, SCHEDULED, PublicationFilter
from cms.publishing import PublishingAdmin
from cms.roles import REFUSED_RESCHEDULE
from cms.versions import register

from .models import Article

# Versions of articles (cms/versions.py); the relations are part of each version. The
# search vector is the database's own (news.search), recomputed by its trigger on restore.
register(Article, exclude=["search_vector"])


@admin.register(Article)
class ArticleAdmin(PublishingAdmin):
    list_display = ["title", "publication", "published_at", "source"]
    list_filter = [PublicationFilter, "clusters", "directions"]
    schedule_field = "published_at"
    search_fields = ["title", "lead", "body", "source"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["clusters", "projects", "stakeholders", "parks", "directions"]
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50
    save_on_top = True
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "status", "published_at"],
                "description": _(
                    "Publishing with an empty publication time publishes now. A published "
                    "article with a future time is scheduled: it appears by itself then. "
                    "Only publishers can publish, schedule or unpublish."
                ),
            },
        ),
        (_("Text"), {"fields": ["lead", "body", "source", "source_url"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (
            _("Related"),
            {"fields": ["clusters", "directions", "projects", "stakeholders", "parks"]},
        ),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # The stored search vector is for the database's eyes only (news.search).
        return super().get_queryset(request).defer("search_vector")

    def publication_choices(self):
        return [(key, PUBLICATION_LABELS[key]) for key in (DRAFT, SCHEDULED, PUBLISHED)]

    def filter_publication(self, queryset, value):
        if value == SCHEDULED:
            return queryset.scheduled()
        if value == PUBLISHED:
            return queryset.published()
        return queryset.filter(status=Article.Status.DRAFT)

    def publication_of(self, obj):
        if obj.status != Article.Status.PUBLISHED:
            return DRAFT
        return PUBLISHED if obj.is_public else SCHEDULED

    def publication_state(self, obj):
        if obj is None:
            return {"status": Article.Status.DRAFT}
        state = {"status": obj.status}
        if obj.status == Article.Status.PUBLISHED:
            # Moving a published article's time publishes or hides it, so it is guarded too.
            state["published_at"] = obj.published_at
        return state

    def refused_changes(self, original, cleaned_data):
        refused = super().refused_changes(original, cleaned_data)
        if "published_at" in refused:
            # The admin's time widget drops microseconds; that is not a change.
            posted = cleaned_data["published_at"]
            if posted and posted.replace(microsecond=0) == original["published_at"].replace(
                microsecond=0
            ):
                del refused["published_at"]
            else:
                refused["published_at"] = REFUSED_RESCHEDULE
        return refused

    def set_published(self, obj, publish):
        if not publish:
            if obj.status == Article.Status.DRAFT:
                return []
            obj.status = Article.Status.DRAFT
            return ["status"]
        now = timezone.now()
        if obj.is_public:
            return []
        obj.status = Article.Status.PUBLISHED
        if obj.published_at is None or obj.published_at > now:
            # "Now": a draft with no time typed, or a scheduled or future-dated article;
            # a past time typed by an editor stays.
            obj.published_at = now
            return ["status", "published_at"]
        return ["status"]
