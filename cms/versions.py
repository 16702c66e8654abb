"""Versions of content in the admin (django-reversion), and the comparison of two of them.

Every save from the admin, bulk actions included, stores a version of the object with who, when
and what changed, one revision per object. The history page lists them, compares any two
(cms/compare.py, a word diff on Python's difflib) and opens any of them; saving the form of an
old version restores it as a new version (cms/restore.py). Deleted objects can be recovered
from "Recover deleted …" on the list page (add permission needed). Restoring goes through the
normal change form, so its validation and the publishing rules of the roles apply; an editor
restores with the publication state the entry has now.
"""

import reversion
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from cms.translated import translated_fields

from .compare import changes
from .restore import RESTORE, Restore, ScopedVersion
from .roles import link_labels

MAX_VERSION_ID = 2**31 - 1  # the largest key of reversion's table on every database


def register(model, follow=(), exclude=()):
    """Keep versions of model (again, with these options, if it was registered before).

    A text kept in both languages is stored as its columns (``title_en``, ``title_ru``) only:
    its own name (``title``) reads in the language of the request that saved, so a version
    saved in the Russian admin would differ from one saved in the English admin (a change
    nobody made, in the diff). Search vectors are the database's own (kept by its triggers,
    recomputed on restore): no part of a version either.
    """
    if reversion.is_registered(model):
        reversion.unregister(model)
    vectors = [f.name for f in model._meta.fields if isinstance(f, SearchVectorField)]
    exclude = [*exclude, *translated_fields(model), *vectors]
    reversion.register(model, follow=follow, exclude=exclude)


def _version_id(request, name):
    """A version key from the query string, or None when it is missing or no key at all."""
    value = request.GET.get(name, "")
    if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_VERSION_ID:
        return None
    return int(value)


class VersionedAdmin(VersionAdmin):
    """django-reversion's VersionAdmin with the comparison of two versions, one revision per
    object, and restores that touch one entry only."""

    object_history_template = "admin/versions/object_history.html"
    compare_template = "admin/versions/compare.html"
    # Stored by the system, not by the editor: noise in a comparison.
    compare_exclude = ["created_at", "updated_at", "image_width", "image_height"]
    compare_exclude += ["logo_width", "logo_height"]

    def get_version_ordering(self, request):
        return ["-pk"]  # newest first

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        # VersionAdmin puts a whole list page (every object of a bulk action) in one revision;
        # log_change gives each object its own.
        context = {"has_change_permission": self.has_change_permission(request)}
        context.update(extra_context or {})
        return super(VersionAdmin, self).changelist_view(request, context)

    def log_change(self, request, obj, message):
        if reversion.is_active():
            return super().log_change(request, obj, message)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.add_to_revision(obj)
            return super().log_change(request, obj, message)

    def keep_before_delete(self, request, objects):
        """Store the last state of objects (and of their link rows) so they can be recovered."""
        if reversion.is_active():
            return
        links = link_labels()
        for obj in objects:
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment(_("Deleted."))
                reversion.add_to_revision(obj)
                # The rows deleted with it (NestedObjects lists even those Django would
                # delete in bulk without loading them).
                collector = NestedObjects(using=router.db_for_write(type(obj)))
                collector.collect([obj])
                for model, rows in collector.data.items():
                    if model._meta.label_lower in links:
                        for row in rows:
                            reversion.add_to_revision(row)

    def delete_model(self, request, obj):
        self.keep_before_delete(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self.keep_before_delete(request, queryset)
        super().delete_queryset(request, queryset)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if obj is not None and self.has_view_or_change_permission(request, obj):
            opts = self.model._meta
            versions = Version.objects.get_for_object(obj).select_related("revision__user")
            context["action_list"] = [
                {
                    "version": version,
                    "revision": version.revision,
                    "url": reverse(
                        f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                        args=(quote(version.object_id), version.pk),
                    ),
                }
                for version in versions.order_by(*self.get_version_ordering(request))
            ]
            context["comparable"] = len(context["action_list"]) > 1
            first = versions.order_by("pk").first()
            earlier = LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=str(obj.pk),
            ).select_related("user")
            if first is not None:
                earlier = earlier.filter(action_time__lt=first.revision.date_created)
            context["earlier_log"] = earlier.order_by("-action_time")[:100]
        # Django's own history view (reversion's would list the versions a second time).
        return super(VersionAdmin, self).history_view(request, object_id, context)

    def compare_view(self, request, object_id, extra_context=None):
        """What changed between two versions (?version_id1=…&version_id2=…, in any order)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        ids = [_version_id(request, name) for name in ("version_id1", "version_id2")]
        if None in ids:
            raise Http404(_("Choose two versions of this entry to compare."))
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        older = get_object_or_404(versions, pk=min(ids))
        newer = get_object_or_404(versions, pk=max(ids))
        try:
            found, unreadable = changes(self.model, older, newer, self.compare_exclude), False
        except RevertError:  # kept in a form the model no longer reads
            found, unreadable = [], True
        earlier = versions.filter(pk__lt=older.pk).order_by("-pk").first()
        later = versions.filter(pk__gt=newer.pk).order_by("pk").first()
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare versions of “%(name)s”") % {"name": obj},
            "opts": opts,
            "object": obj,
            "versions": [(_("Older version"), older), (_("Newer version"), newer)],
            "changes": found,
            "unreadable": unreadable,
            "earlier": earlier and (earlier.pk, older.pk),
            "later": later and (newer.pk, later.pk),
            "restore_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=(quote(older.object_id), older.pk),
            ),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.compare_template, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        object_id = unquote(object_id)
        # Only a version of this model's object (reversion looks the id up in every model).
        version = get_object_or_404(
            Version.objects.get_for_object_reference(self.model, object_id), pk=version_id
        )
        with transaction.atomic(using=router.db_for_write(self.model)):
            current = self._current(object_id)
            if current is None:
                raise Http404
            setattr(request, RESTORE, Restore(current, self.edit_snapshot(request, current)))
            context = {"title": _("Revert %(name)s") % {"name": version.object_repr}}
            context.update(revert=True, **(extra_context or {}))
            return self._reversion_revisionform_view(
                request,
                ScopedVersion(version),
                self.revision_form_template
                or self._reversion_get_template_list("revision_form.html"),
                context,
            )

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        # Only the last version of a deleted object of this model.
        version = get_object_or_404(Version.objects.get_deleted(self.model), pk=version_id)
        setattr(request, RESTORE, Restore(None, None))
        context = {"title": _("Recover %(name)s") % {"name": version.object_repr}}
        context.update(recover=True, **(extra_context or {}))
        return self._reversion_revisionform_view(
            request,
            ScopedVersion(version),
            self.recover_form_template or self._reversion_get_template_list("recover_form.html"),
            context,
        )

    def _current(self, object_id):
        queryset = self.model._default_manager.filter(pk=object_id)
        connection = transaction.get_connection(router.db_for_write(self.model))
        if connection.in_atomic_block:
            queryset = queryset.select_for_update()  # ignored where unsupported (SQLite)
        return queryset.first()

    def edit_snapshot(self, request, obj):
        return {}
