"""Versions of content in the admin, and no silent overwrites.

``ContentAdmin`` is the base of every content admin class. It brings two things:

Versions (django-reversion, with django-reversion-compare for the diff). Every save from the
admin, bulk actions included, stores a version of the object with who, when and what changed,
one revision per object. The history page compares two versions and opens any of them; saving
the form of an old version restores it as a new version. Deleted objects can be recovered from
"Recover deleted …" on the list page (add permission needed). Restoring goes through the normal
change form, so its validation and the publishing rules of the roles apply; an editor restores
with the publication state the entry has now. A restore touches only the object and its link
rows (a project's stakeholder roles, a cluster's members), never other objects saved in the
same revision, and leaves out links to objects deleted since.

Edit conflicts. The change form carries a hidden ``edit_token``: a hash of each stored value the
form can change, and of the rows of each inline, as they were when the form was opened (a text
kept in both languages by its columns, as the form edits them: ``title`` is ``title_en``, never
the active language's text, so the Russian and the English admin agree). A save
whose values were changed by someone else meanwhile is refused with a form error naming the
fields, the values they have now, and who changed them when (from the versions). Their new
values of fields the user had not touched are put into the form, so saving again keeps both
sides' work. A form posted without a token (opened before this existed) is not checked.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import reversion
from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import NestedObjects, flatten_fieldsets, unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, router, transaction
from django.db.models.deletion import Collector
from django.forms.models import _get_foreign_key
from django.forms.widgets import ChoiceWidget
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst, get_text_list
from django.utils.translation import gettext as _
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version
from reversion.revisions import _follow_relations_recursive, _get_options
from reversion_compare.admin import CompareVersionAdmin

from .roles import LINK_MODELS
from .translated import stored_attname, translated_fields

TOKEN = "edit_token"
RESTORE = "_versions_restore"  # request attribute set while a version is being restored
LINK_LABELS = {f"{app}.{model}" for app, model in LINK_MODELS}


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


# Restoring one object of a revision ---------------------------------------------------------


def _in_scope(target, version):
    """Whether restoring target restores version too: target itself, or a link row to it."""
    if version.pk == target.pk:
        return True
    model = version._model
    if model is None or model._meta.label_lower not in LINK_LABELS:
        return False
    return any(
        field.many_to_one
        and field.related_model is target._model
        and str(version.field_dict.get(field.attname)) == target.object_id
        for field in model._meta.concrete_fields
    )


def _exists(model, pk, db):
    return model._base_manager.using(db).filter(pk=pk).exists()


def _drop_missing_references(version, is_target):
    """Leave out links to objects deleted since; return a field that cannot be left out."""
    deserialized = version._object_version
    obj = deserialized.object
    for field in obj._meta.concrete_fields:
        if not field.many_to_one and not field.one_to_one:
            continue
        value = getattr(obj, field.attname)
        if value is None or _exists(field.related_model, value, version.db):
            continue
        if is_target and field.null:
            setattr(obj, field.attname, None)
        else:
            return field
    for name, pks in (deserialized.m2m_data or {}).items():
        related = obj._meta.get_field(name).related_model
        existing = set(
            related._base_manager.using(version.db).filter(pk__in=pks).values_list("pk", flat=True)
        )
        deserialized.m2m_data[name] = [pk for pk in pks if pk in existing]
    return None


def revert_object(target, delete=False):
    """Restore the object of version target, and its link rows, as stored in its revision.

    django-reversion's ``Revision.revert`` restores every object of the revision; a revision
    may hold other objects (clusters whose links changed from a project page), which must not
    change with this one. With delete, link rows the object has now but had not then go.
    """
    versions = [v for v in target.revision.version_set.all() if _in_scope(target, v)]
    versions.sort(key=lambda v: v.pk != target.pk)  # the object first, then its rows
    model = target._model
    with transaction.atomic(using=target.db):
        current = model._default_manager.using(target.db).filter(pk=target.object_id).first()
        if delete and current is not None:
            kept = {(v._model, v.object_id) for v in versions}
            stale = [
                obj
                for obj in _follow_relations_recursive(current)
                if obj is not current and (type(obj), str(obj.pk)) not in kept
            ]
            if stale:
                collector = Collector(using=target.db)
                collector.collect(stale)
                collector.delete()
        for version in versions:
            is_target = version.pk == target.pk
            missing = _drop_missing_references(version, is_target)
            if missing is not None:
                if is_target:
                    raise RevertError(
                        _("%(object)s cannot be restored: its %(field)s no longer exists.")
                        % {"object": version.object_repr, "field": missing.verbose_name}
                    )
                continue  # a link to something deleted since
            try:
                with transaction.atomic(using=version.db):
                    version.revert()
            except IntegrityError as error:
                if is_target:
                    raise RevertError(
                        _(
                            "%(object)s cannot be restored: it clashes with another entry "
                            "(the same name or slug?)."
                        )
                        % {"object": version.object_repr}
                    ) from error


class _ScopedRevision:
    def __init__(self, target):
        self._target = target

    def __getattr__(self, name):
        return getattr(self._target.revision, name)

    def revert(self, delete=False):
        revert_object(self._target, delete=delete)


class _ScopedVersion:
    """A version whose ``revision.revert()`` restores only that version's object."""

    def __init__(self, version):
        self._version = version
        self.revision = _ScopedRevision(version)

    def __getattr__(self, name):
        return getattr(self._version, name)


@dataclass
class Restore:
    """What the object is now, before a version of it is put in its place (None: recovering)."""

    current: models.Model | None
    snapshot: dict | None


def restoring_from(request):
    """The Restore under way in this request, or None."""
    return getattr(request, RESTORE, None)


class VersionedAdmin(CompareVersionAdmin):
    """django-reversion's VersionAdmin with the diff view, one revision per object."""

    object_history_template = "admin/versions/object_history.html"
    history_latest_first = True
    # Stored by the system, not by the editor: noise in a diff.
    compare_exclude = ["created_at", "updated_at", "image_width", "image_height"]
    compare_exclude += ["logo_width", "logo_height"]

    @property
    def compare_fields(self):
        # The object's own fields and the rows it follows, not every relation pointing at it.
        options = _get_options(self.model)
        return [*options.fields, *options.follow]

    def compare(self, obj, version1, version2):
        diff, _unfollowed = super().compare(obj, version1, version2)

        def unchanged_link(field):
            # reversion-compare calls a foreign key changed whenever anything else changed.
            return isinstance(field, models.ForeignKey) and version1.field_dict.get(
                field.attname
            ) == version2.field_dict.get(field.attname)

        diff = [entry for entry in diff if not unchanged_link(entry["field"])]
        return diff, any(entry["is_related"] and not entry["follow"] for entry in diff)

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
                    if model._meta.label_lower in LINK_LABELS:
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
        if obj is not None:
            first = Version.objects.get_for_object(obj).order_by("pk").first()
            earlier = LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=str(obj.pk),
            ).select_related("user")
            if first is not None:
                earlier = earlier.filter(action_time__lt=first.revision.date_created)
            context["earlier_log"] = earlier.order_by("-action_time")[:100]
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return super().compare_view(request, object_id, extra_context)

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
                _ScopedVersion(version),
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
            _ScopedVersion(version),
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


# Edit conflicts -----------------------------------------------------------------------------


def _hash(text):
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _normal(field, value):
    """A stored or posted value as text, the same for both when they are the same value."""
    if field.many_to_many:
        return ",".join(sorted(str(getattr(v, "pk", v)) for v in (value or ())))
    if field.is_relation:
        return "" if value is None else str(getattr(value, "pk", value))
    if isinstance(field, models.FileField):
        return (getattr(value, "name", None) or "") if value else ""
    if value is None:
        return ""
    if isinstance(value, datetime):
        # The admin's widgets drop microseconds.
        if timezone.is_aware(value):
            value = value.astimezone(UTC)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    return str(value)


def _edit_fields(model):
    """The stored values a form can change: editable fields and plain many-to-many fields."""
    own = [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]
    many = [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    return [*own, *many]


def _stored(obj, field):
    """A stored value, the same in every admin language (portal/translated.py)."""
    if field.many_to_many:
        return list(getattr(obj, field.name).values_list("pk", flat=True))
    return getattr(obj, stored_attname(field))


def _shown(obj, field):
    """A stored value as the editor reads it."""
    if field.many_to_many:
        text = ", ".join(str(o) for o in getattr(obj, field.name).all())
    elif field.is_relation:
        text = str(getattr(obj, field.name) or "")
    elif field.choices:
        text = str(getattr(obj, f"get_{field.name}_display")())
    else:
        value = _stored(obj, field)
        if isinstance(value, bool):
            text = _("yes") if value else _("no")
        elif isinstance(value, datetime):
            text = formats.localize(timezone.template_localtime(value))
        elif isinstance(field, models.FileField):
            text = value.name if value else ""
        else:
            text = "" if value is None else str(value)
    return Truncator(text).chars(160) if text else _("(empty)")


def _row_text(row, fk):
    fields = [f for f in row._meta.concrete_fields if not f.primary_key and f != fk]
    parts = [_shown(row, f) for f in fields]
    return parts[0] + (f" ({', '.join(parts[1:])})" if len(parts) > 1 else "")


def _put(form, data, name, obj):
    """Write obj's stored value of a field into posted form data, as its widget posts it."""
    model_field = obj._meta.get_field(name)
    if isinstance(model_field, models.FileField):
        return  # an empty file input keeps the stored file: theirs
    field = form.fields[name]
    prepared = field.prepare_value(_stored(obj, model_field))
    widget = field.widget
    while isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    key = form.add_prefix(name)
    if isinstance(widget, forms.MultiWidget):
        for suffix, part_widget, part in zip(
            widget.widgets_names, widget.widgets, widget.decompress(prepared), strict=False
        ):
            data[key + suffix] = part_widget.format_value(part) or ""
    elif isinstance(widget, forms.CheckboxInput):
        if prepared:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif getattr(widget, "allow_multiple_selected", False):
        data.setlist(key, [str(v) for v in prepared or ()])
    elif isinstance(widget, ChoiceWidget):
        values = widget.format_value(prepared)
        data[key] = values[0] if values else ""
    else:
        formatted = widget.format_value(prepared)
        data[key] = "" if formatted is None else str(formatted)


class _TokenField(forms.CharField):
    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False  # not an edit: kept out of the change message


class EditConflictMixin:
    """Refuse a save from a form opened before someone else's save changed its values."""

    def edit_snapshot(self, request, obj):
        """{name: normalised text} of obj's editable values and of each inline's rows."""
        snapshot = {f.name: _normal(f, _stored(obj, f)) for f in _edit_fields(self.model)}
        for inline, fk in self._inline_relations(request, obj):
            rows = inline.model._default_manager.filter(**{fk.name: obj}).order_by("pk")
            fields = [f for f in inline.model._meta.concrete_fields if f != fk]
            snapshot[self._inline_key(fk, inline)] = ";".join(
                "|".join(_normal(f, _stored(row, f)) for f in fields) for row in rows
            )
        return snapshot

    def _inline_relations(self, request, obj):
        for inline in self.get_inline_instances(request, obj):
            yield inline, _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)

    @staticmethod
    def _inline_key(fk, inline):
        return "inline:" + fk.remote_field.get_accessor_name(model=inline.model).replace("+", "")

    def edit_token(self, obj, snapshot):
        latest = Version.objects.get_for_object(obj).order_by("-pk").first()
        hashes = {name: _hash(text) for name, text in snapshot.items()}
        return json.dumps({"v": latest.pk if latest else 0, "h": hashes}, separators=(",", ":"))

    def _wants_token(self, request, obj):
        return obj is not None and self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._wants_token(request, obj) or TOKEN in flatten_fieldsets(fieldsets):
            return fieldsets
        return [*fieldsets, (None, {"fields": [TOKEN], "classes": ["hidden"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if kwargs.get("fields"):
            kwargs["fields"] = [name for name in kwargs["fields"] if name != TOKEN]
        elif "fields" not in kwargs:
            fieldsets = self.get_fieldsets(request, obj)
            kwargs["fields"] = [name for name in flatten_fieldsets(fieldsets) if name != TOKEN]
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if not self._wants_token(request, obj):
            return form_class
        model_admin = self

        class EditTokenForm(form_class):
            edit_token = _TokenField(required=False)

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if not self.is_bound and self.instance.pk is not None:
                    restore = restoring_from(request)
                    if restore is None:
                        snapshot = model_admin.edit_snapshot(request, self.instance)
                        self.initial[TOKEN] = model_admin.edit_token(self.instance, snapshot)
                    elif restore.current is not None:
                        self.initial[TOKEN] = model_admin.edit_token(
                            restore.current, restore.snapshot
                        )

            def clean(self):
                cleaned_data = super().clean()
                model_admin.check_edit_conflict(request, self)
                return cleaned_data

        return EditTokenForm

    def check_edit_conflict(self, request, form):
        posted = form.cleaned_data.get(TOKEN) or ""
        if not posted or form.instance.pk is None:
            return  # a form from before edit tokens existed
        try:
            base = json.loads(posted)
            since, hashes = int(base["v"]), dict(base["h"])
        except (ValueError, KeyError, TypeError):
            form.add_error(None, _("This form cannot be checked for later changes: reload it."))
            return
        restore = restoring_from(request)
        if restore is not None:
            if restore.current is None:
                return  # recovering a deleted object: nothing to overwrite
            current, snapshot = restore.current, restore.snapshot
        else:
            current = self._current(form.instance.pk)
            if current is None:
                form.add_error(None, _("This entry was deleted after you opened it."))
                return
            snapshot = self.edit_snapshot(request, current)
        changed = [
            name
            for name, text in snapshot.items()
            if name in hashes
            and hashes[name] != _hash(text)
            and (name in form.fields or name.startswith("inline:"))
        ]
        fields = {f.name: f for f in _edit_fields(self.model)}
        merged, clashes, rows = [], [], []
        for name in changed:
            if name.startswith("inline:"):
                rows.append(name)
                continue
            if name in form.cleaned_data:
                mine = _normal(fields[name], form.cleaned_data[name])
                if mine == snapshot[name]:
                    continue  # they made the same change
                if restore is None and _hash(mine) == hashes[name]:
                    merged.append(name)  # untouched here: take theirs
                    continue
            clashes.append(name)
        if not (merged or clashes or rows):
            return
        self._refuse(request, form, current, snapshot, since, merged, clashes, rows)

    def _refuse(self, request, form, current, snapshot, since, merged, clashes, rows):
        fields = {f.name: f for f in _edit_fields(self.model)}

        def label(name):
            return str(capfirst(form.fields[name].label or fields[name].verbose_name))

        inlines = {
            self._inline_key(fk, inline): (inline, fk)
            for inline, fk in self._inline_relations(request, current)
        }
        names = [label(name) for name in [*merged, *clashes]]
        names += [str(capfirst(inlines[key][0].verbose_name_plural)) for key in rows]
        message = _(
            "Not saved: %(who)s changed this %(entry)s after you opened it, so saving would "
            "undo their work. Changed meanwhile: %(fields)s."
        ) % {
            "who": self._who_changed(current, since),
            "entry": self.model._meta.verbose_name,
            "fields": get_text_list(names, _("and")),
        }
        if merged:
            message += " " + _(
                "Their new values are now in the form where you had changed nothing (%(fields)s)."
            ) % {"fields": get_text_list([label(n) for n in merged], _("and"))}
        if clashes or rows:
            message += " " + _(
                "Where you changed something too, the form keeps your value and shows theirs."
            )
        message += " " + _("Check the form, then save again.")
        form.add_error(None, message)
        data = form.data.copy()
        for name in merged:
            _put(form, data, name, current)
            form.add_error(
                name,
                _("Changed meanwhile to: %(value)s (now in the form).")
                % {"value": _shown(current, fields[name])},
            )
        for name in clashes:
            form.add_error(
                name,
                _("Changed meanwhile to: %(value)s. Saving again keeps what the form says.")
                % {"value": _shown(current, fields[name])},
            )
        for key in rows:
            inline, fk = inlines[key]
            now = inline.model._default_manager.filter(**{fk.name: current}).order_by("pk")
            form.add_error(
                None,
                _("%(rows)s now: %(value)s. Check the rows below before saving again.")
                % {
                    "rows": capfirst(inline.verbose_name_plural),
                    "value": "; ".join(_row_text(row, fk) for row in now) or _("(none)"),
                },
            )
        # Saving again is checked against what is stored now.
        data[form.add_prefix(TOKEN)] = self.edit_token(current, snapshot)
        form.data = data

    def _who_changed(self, obj, since):
        versions = (
            Version.objects.get_for_object(obj)
            .filter(pk__gt=since)
            .select_related("revision__user")
            .order_by("pk")
        )
        seen = {}
        for version in versions:
            user = version.revision.user
            name = user.get_username() if user else _("someone")
            seen[name] = version.revision.date_created
        if not seen:
            when = getattr(obj, "updated_at", None)
            if when is None:
                return _("someone")
            return _("someone (%(when)s)") % {
                "when": formats.localize(timezone.template_localtime(when))
            }
        return get_text_list(
            [
                f"{name} ({formats.localize(timezone.template_localtime(when))})"
                for name, when in seen.items()
            ],
            _("and"),
        )


class ContentAdmin(EditConflictMixin, VersionedAdmin):
    """Base of the content admins: versions, restore and recover, and edit-conflict checks."""
