"""Publishing by role in the admin: who may publish, and what an editor sees instead.

``PublishingAdmin`` is the base of every admin of a publishable model (news, events, the
programme's entries); ``DirectoryAdmin`` adds the "published" tick of the directory's models
and the clusters. Publishing needs the model's publish permission (cms/roles.py).
"""

import reversion
from django.contrib import admin
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .bilingual import TranslatedAdmin
from .content_admin import ContentAdmin
from .editing import DRAFT, PUBLICATION_LABELS, PUBLISHED, EditorAdminMixin
from .restore import restoring_from
from .roles import REFUSED_PUBLISH, publish_permission
from .uploads import UploadSafeAdmin
from .widgets import lock


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
