"""The editing aids every content admin shares (``EditorAdminMixin``), and the publication
column and filter (``PublicationFilter``, ``PUBLICATION_LABELS``).

- Title and name inputs take a 120-character headline (static/css/admin.css).
- Pictures: the current one above its file input, a small one in each list (the smallest
  rendition, cms/renditions.py: no file access, no query).
- Markdown texts (known by their help text, cms/richtext.py) get a length limit and the
  Preview button (static/js/admin-editor.js, which posts to the site's markdown-preview).
"""

from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .renditions import (
    RENDITION_WIDTHS,
    image_dimensions,
    rendition_name,
    rendition_widths,
    renditions_ready,
)
from .richtext import MARKDOWN_MAX_CHARS, RICHTEXT_HELP

# A 120-character headline fits in the inputs of these text fields (static/css/admin.css).
HEADLINE_FIELDS = {"title", "name"}
HEADLINE_CLASS = "vTextField vHeadlineField"


def thumbnail(image, alt, width):
    """A small <img> of a stored image (its smallest rendition), lazy, or "" without one.

    Like ``{% responsive_image %}``: the URL comes from the stored width and the file's name,
    no file access and no query.
    """
    if not image or not getattr(image, "name", None) or not hasattr(image, "field"):
        return ""
    dimensions = image_dimensions(image)
    if dimensions is None:
        return ""
    original_width, original_height = dimensions
    try:
        widths = rendition_widths(original_width)
        if not renditions_ready(image, original_width):  # being made: the original meanwhile
            widths = []
        src = image.storage.url(rendition_name(image.name, widths[0])) if widths else image.url
    except (OSError, ValueError):
        return ""
    shown = min(width, original_width)
    return format_html(
        '<img class="admin-thumbnail" src="{}" alt="{}" width="{}" height="{}" '
        'loading="lazy" decoding="async">',
        src,
        alt or "",
        shown,
        max(1, round(original_height * shown / original_width)),
    )


def _alt_of(field_file):
    instance = getattr(field_file, "instance", None)
    name = getattr(getattr(field_file, "field", None), "name", "")
    return getattr(instance, f"{name}_alt", "") if instance is not None else ""


class ThumbnailFileWidget(AdminFileWidget):
    """The admin's file input with the current picture above it."""

    width = RENDITION_WIDTHS[0] // 2

    def render(self, name, value, attrs=None, renderer=None):
        widget = super().render(name, value, attrs, renderer)
        picture = thumbnail(value, _alt_of(value), self.width)
        if not picture:
            return widget
        return format_html('<div class="admin-image">{}{}</div>', picture, widget)


def _is_markdown(db_field):
    return isinstance(db_field, models.TextField) and str(db_field.help_text) == str(RICHTEXT_HELP)


def _image_field(model):
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ImageField):
            return field
    return None


class EditorAdminMixin:
    """Editing aids for any content admin: wide headline inputs, thumbnails, Markdown preview."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.ImageField):
            kwargs["widget"] = ThumbnailFileWidget
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None:
            return formfield
        base_name = getattr(db_field, "translated_field", db_field).name
        if (
            isinstance(db_field, models.CharField)
            and base_name in HEADLINE_FIELDS
            and (db_field.max_length or 0) >= 120
        ):
            formfield.widget.attrs["class"] = HEADLINE_CLASS
        if _is_markdown(db_field):
            # A form error past the longest text the renderer is bounded for (and the
            # textarea's maxlength); the model's column itself has no limit.
            formfield.max_length = MARKDOWN_MAX_CHARS
            formfield.validators.append(MaxLengthValidator(MARKDOWN_MAX_CHARS))
            formfield.widget.attrs["maxlength"] = str(MARKDOWN_MAX_CHARS)
            formfield.widget.attrs.update(
                {
                    "data-preview-url": reverse(f"{self.admin_site.name}:markdown-preview"),
                    "data-preview-model": self.model._meta.label_lower,
                    "data-preview-label": _("Preview"),
                    "data-preview-title": _("Preview: the text as the site shows it"),
                    "data-preview-empty": _("Nothing to preview yet."),
                    "data-preview-error": _("The preview could not be made. Try again."),
                }
            )
        return formfield

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if _image_field(self.model) is not None and "list_thumbnail" not in columns:
            columns.insert(1 if columns else 0, "list_thumbnail")
        return columns

    @admin.display(description=gettext_lazy("picture"))
    def list_thumbnail(self, obj):
        field = _image_field(type(obj))
        image = getattr(obj, field.name)
        return thumbnail(image, getattr(obj, f"{field.name}_alt", ""), 64) or "—"


class PublicationFilter(admin.SimpleListFilter):
    """Draft, Scheduled (where the model has a publication time) or Published."""

    title = gettext_lazy("status on the site")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return model_admin.publication_choices()

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in dict(self.lookup_choices):
            return queryset.none()
        return self.model_admin.filter_publication(queryset, value)

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)


DRAFT, SCHEDULED, PUBLISHED = "draft", "scheduled", "published"
# Any kind of entry (an article, a project...): Russian words of neuter gender.
PUBLICATION_LABELS = {
    DRAFT: pgettext_lazy("state of any entry", "Draft"),
    SCHEDULED: pgettext_lazy("state of any entry", "Scheduled"),
    PUBLISHED: pgettext_lazy("state of any entry", "Published"),
}
