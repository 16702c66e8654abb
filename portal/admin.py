import reversion
from django.contrib import admin
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cms.bilingual import TranslatedAdmin
from cms.content_admin import ContentAdmin
from cms.restore import restoring_from
from cms.roles import REFUSED_PUBLISH, publish_permission
from cms.spreadsheet_admin import SpreadsheetAdmin
from cms.throttle import ThrottledAdminAuthenticationForm
from cms.uploads import UploadSafeAdmin
from cms.versions import register

from .admin_site import (
    DRAFT,
    PUBLICATION_LABELS,
    PUBLISHED,
    EditorAdminMixin,
    PublicationFilter,
    lock,
)
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

# Failed log-ins lock the account name and the address for a while (cms/throttle.py).
admin.site.login_form = ThrottledAdminAuthenticationForm

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


class PublishingAdmin(UploadSafeAdmin, EditorAdminMixin, TranslatedAdmin, ContentAdmin):
    """Publishing for users with the model's publish permission only.

    Editors (no publish permission) see the publication fields as text, with no choice they
    may not use; the form still refuses a posted change to them, and the publish and
    unpublish actions are offered only to publishers (Django also refuses them when posted).
    Actions save each object and log the change, so it appears in the object's history like
    an edit, with a version of its own.

    Restoring an old version or recovering a deleted entry goes through the same form: an
    editor's form starts from the publication state the entry has now (a recovered entry
    comes back as a draft) and refuses a change to it, whatever the old version said.
    """

    # The field holding the time a scheduled entry appears, where the model has one.
    schedule_field = None

    def has_publish_permission(self, request):
        return request.user.has_perm(publish_permission(self.model))

    # The status column and filter (Draft, Scheduled, Published) and the admin home's lists.
    def publication_choices(self):
        return [(DRAFT, PUBLICATION_LABELS[DRAFT]), (PUBLISHED, PUBLICATION_LABELS[PUBLISHED])]

    # For a model with a status of Status.DRAFT or Status.PUBLISHED (an event); the directory
    # models (is_published) and articles (a publication time too) have their own.
    def filter_publication(self, queryset, value):
        """The entries of queryset in state value (a key of publication_choices)."""
        published = self.model.Status.PUBLISHED
        if value == PUBLISHED:
            return queryset.filter(status=published)
        return queryset.exclude(status=published)

    def publication_of(self, obj):
        """The state of obj, a key of publication_choices."""
        return PUBLISHED if obj.status == self.model.Status.PUBLISHED else DRAFT

    @admin.display(description=_("on the site"))
    def publication(self, obj):
        return PUBLICATION_LABELS[self.publication_of(obj)]

    # Subclasses describe publication for their model.
    def publication_state(self, obj):
        """What an editor may not change, as {field name: value}; obj is None when adding."""
        raise NotImplementedError

    def refused_changes(self, original, cleaned_data):
        """{field name: message} for each publication field an editor tried to change."""
        return {
            name: REFUSED_PUBLISH
            for name, value in original.items()
            if name in cleaned_data and cleaned_data[name] != value
        }

    def set_published(self, obj, publish):
        """Publish or unpublish obj in memory; return the names of the fields changed."""
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if self.has_publish_permission(request):
            return form_class
        restore = restoring_from(request)
        # While restoring, obj is the old version; what counts is the entry as it is now.
        original = self.publication_state(obj if restore is None else restore.current)
        model_admin = self

        class EditorForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if restore is not None and not self.is_bound:
                    self.initial.update(original)
                # Shown as text: an editor is offered no choice they may not use.
                lock(self, original)

            def clean(self):
                cleaned_data = super().clean()
                for name, message in model_admin.refused_changes(original, cleaned_data).items():
                    if name in self.fields:
                        self.add_error(name, message)
                return cleaned_data

        return EditorForm

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not self.has_publish_permission(request):
            # What an editor adds starts as a draft.
            initial.update(self.publication_state(None))
        return initial

    def _apply(self, request, queryset, publish):
        count = 0
        for obj in queryset:
            changed = self.set_published(obj, publish)
            if not changed:
                continue
            # One revision per object, so restoring one never touches another.
            with reversion.create_revision():
                reversion.set_user(request.user)
                obj.save(update_fields=[*changed, "updated_at"])
                # Labelled as Django labels form changes (untranslated; shown translated).
                with translation.override(None):
                    labels = [
                        str(capfirst(obj._meta.get_field(name).verbose_name)) for name in changed
                    ]
                # Also the revision's comment (VersionAdmin.log_change).
                self.log_change(request, obj, [{"changed": {"fields": labels}}])
            count += 1
        return count

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        count = self._apply(request, queryset, publish=True)
        self.message_user(
            request,
            ngettext("%(count)d entry published.", "%(count)d entries published.", count)
            % {"count": count},
        )

    @admin.action(description=_("Unpublish (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = self._apply(request, queryset, publish=False)
        self.message_user(
            request,
            ngettext("%(count)d entry unpublished.", "%(count)d entries unpublished.", count)
            % {"count": count},
        )

    actions = ["publish_now", "unpublish"]


class DirectoryAdmin(PublishingAdmin):
    """Shared set-up for the publishable directory models."""

    list_per_page = 50
    save_on_top = True
    readonly_fields = ["created_at", "updated_at"]

    def publication_state(self, obj):
        return {"is_published": obj.is_published if obj is not None else False}

    def filter_publication(self, queryset, value):
        return queryset.filter(is_published=value == PUBLISHED)

    def publication_of(self, obj):
        return PUBLISHED if obj.is_published else DRAFT

    def set_published(self, obj, publish):
        if obj.is_published == publish:
            return []
        obj.is_published = publish
        return ["is_published"]


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
class StakeholderAdmin(SpreadsheetAdmin, DirectoryAdmin):
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
class ParkAdmin(SpreadsheetAdmin, DirectoryAdmin):
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
