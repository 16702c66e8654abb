"""What changed between two versions of an entry, field by field (the history's Compare).

Each changed field of the entry gives one ``Change``: its label and the difference of its two
values, word by word (cms/diff.py). A text kept in both languages is compared column by column
("Title [en]", "Title [ru]"), as versions keep it (cms/versions.py). Many-to-many choices and
the rows a version follows (a project's stakeholders and roles, a cluster's members) are
compared as lists, one item per row. Values read as the admin shows them: a choice by its
label, a link by the name of what it links to, a date in the admin's language.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion.revisions import _get_options

from .diff import diff_html, items_html

MISSING = object()  # a field a version does not hold (added to the model since)


@dataclass(frozen=True)
class Change:
    """One changed field: its label, its help, and the difference as HTML (a text, or the
    items of a list when ``is_list``)."""

    label: str
    html: SafeString
    is_list: bool = False
    help_text: str = ""


def _related_name(model, pk):
    """The name of the entry with this key, or a note that it no longer exists."""
    obj = model._base_manager.filter(pk=pk).first()
    if obj is None:
        return _("a deleted entry (ID %(id)s)") % {"id": pk}
    return str(obj)


def _text(field, value):
    """A stored value of field (not a many-to-many one) as the admin reads it."""
    if value is MISSING or value is None or value == "":
        return ""
    if field.is_relation:
        return _related_name(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, models.FileField):
        return getattr(value, "name", None) or str(value)
    if isinstance(value, datetime):
        return formats.localize(timezone.template_localtime(value))
    if isinstance(value, date | Decimal | int | float):
        return formats.localize(value)
    return str(value)


def _choices(field, pks):
    """The names of the entries of a many-to-many value, in a stable order."""
    found = {obj.pk: str(obj) for obj in field.related_model._base_manager.filter(pk__in=pks)}
    names = [found.get(pk) or _("a deleted entry (ID %(id)s)") % {"id": pk} for pk in pks]
    return sorted(names, key=str.casefold)


def _field_change(field, old, new):
    if field.many_to_many:
        old, new = (sorted(() if value is MISSING else value) for value in (old, new))
        if old == new:
            return None
        html = items_html(_choices(field, old), _choices(field, new))
        return Change(capfirst(field.verbose_name), html, True, field.help_text)
    if old == new:
        return None
    html = diff_html(_text(field, old), _text(field, new))
    return Change(capfirst(field.verbose_name), html, False, field.help_text)


def _rows(version, relation):
    """The versions of relation's rows kept in version's revision, linked to its entry."""
    fk = relation.field
    content_type = ContentType.objects.db_manager(version.db).get_for_model(relation.related_model)
    rows = [
        row
        for row in version.revision.version_set.filter(content_type=content_type)
        if str(row.field_dict.get(fk.attname)) == version.object_id
    ]
    return sorted(rows, key=lambda row: (len(row.object_id), row.object_id))


def _row_text(row):
    try:
        return str(row._object_version.object)
    except ObjectDoesNotExist:  # it names an entry deleted since
        return row.object_repr


def _rows_change(relation, old_version, new_version):
    old, new = _rows(old_version, relation), _rows(new_version, relation)

    def state(rows):
        return [(row.object_id, sorted(row.field_dict.items(), key=str)) for row in rows]

    if state(old) == state(new):
        return None
    html = items_html([_row_text(row) for row in old], [_row_text(row) for row in new])
    return Change(capfirst(relation.related_model._meta.verbose_name_plural), html, True)


def changes(model, old_version, new_version, exclude=()):
    """The Changes from old_version to new_version of an entry of model: its own fields in
    the model's order, then the rows it follows.

    Raises reversion's RevertError when a version cannot be read.
    """
    options = _get_options(model)
    old, new = old_version.field_dict, new_version.field_dict
    found = []
    for name in options.fields:
        field = model._meta.get_field(name)
        if name in exclude or field.primary_key:
            continue
        was, now = old.get(field.attname, MISSING), new.get(field.attname, MISSING)
        change = _field_change(field, was, now)
        if change is not None:
            found.append(change)
    for name in options.follow:
        relation = model._meta.get_field(name)
        if relation.one_to_many and name not in exclude:
            change = _rows_change(relation, old_version, new_version)
            if change is not None:
                found.append(change)
    return found
