"""Restoring one version of an entry: the entry and its link rows, nothing else.

django-reversion's ``Revision.revert`` restores every object of the revision; a revision may
hold other objects (clusters whose links changed from a project page), which must not change
with this one. Here a restore touches only the object and its link rows (a project's
stakeholder roles, a cluster's members: the apps' ``link_models``, cms/roles.py), and leaves
out links to objects deleted since.
"""

from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.revisions import _follow_relations_recursive

from .roles import link_labels

RESTORE = "_versions_restore"  # request attribute set while a version is being restored


def _in_scope(target, version):
    """Whether restoring target restores version too: target itself, or a link row to it."""
    if version.pk == target.pk:
        return True
    model = version._model
    if model is None or model._meta.label_lower not in link_labels():
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

    With delete, link rows the object has now but had not then go.
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


class ScopedVersion:
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
