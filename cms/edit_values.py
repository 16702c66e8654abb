"""Stored and posted values, as the edit-conflict check (cms/edit_conflicts.py) reads them.

A value is normalised to text the same way whether it comes from the database or from a
posted form, read in its own language's column (a text kept in both languages: ``title`` is
``title_en``, never the active language's text), shown as the editor reads it, and put back
into posted form data as its widget would post it.
"""

import hashlib
from datetime import UTC, datetime
from decimal import Decimal

from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db import models
from django.forms.widgets import ChoiceWidget
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cms.translated import stored_attname


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def normal(field, value):
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


def edit_fields(model):
    """The stored values a form can change: editable fields and plain many-to-many fields."""
    own = [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]
    many = [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    return [*own, *many]


def stored(obj, field):
    """A stored value, the same in every admin language (its own column of a translated text)."""
    if field.many_to_many:
        return list(getattr(obj, field.name).values_list("pk", flat=True))
    return getattr(obj, stored_attname(field))


def shown(obj, field):
    """A stored value as the editor reads it."""
    if field.many_to_many:
        text = ", ".join(str(o) for o in getattr(obj, field.name).all())
    elif field.is_relation:
        text = str(getattr(obj, field.name) or "")
    elif field.choices:
        text = str(getattr(obj, f"get_{field.name}_display")())
    else:
        value = stored(obj, field)
        if isinstance(value, bool):
            text = _("yes") if value else _("no")
        elif isinstance(value, datetime):
            text = formats.localize(timezone.template_localtime(value))
        elif isinstance(field, models.FileField):
            text = value.name if value else ""
        else:
            text = "" if value is None else str(value)
    return Truncator(text).chars(160) if text else _("(empty)")


def row_text(row, fk):
    fields = [f for f in row._meta.concrete_fields if not f.primary_key and f != fk]
    parts = [shown(row, f) for f in fields]
    return parts[0] + (f" ({', '.join(parts[1:])})" if len(parts) > 1 else "")


def put_value(form, data, name, obj):
    """Write obj's stored value of a field into posted form data, as its widget posts it."""
    model_field = obj._meta.get_field(name)
    if isinstance(model_field, models.FileField):
        return  # an empty file input keeps the stored file: theirs
    field = form.fields[name]
    prepared = field.prepare_value(stored(obj, model_field))
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


class TokenField(forms.CharField):
    """The hidden field holding the edit token."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False  # not an edit: kept out of the change message
