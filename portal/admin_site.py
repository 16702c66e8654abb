"""The admin as editors meet it: the INO Tomsk admin site, its home page and the editing aids
every content admin shares.

- ``EditorAdminSite`` (``admin.site``, by ``portal.admin_apps.EditorAdminConfig``): the
  programme's name and favicon (templates/admin/base_site.html), a home page listing the
  user's drafts, what is scheduled and the latest changes (``dashboard``), and the Markdown
  preview endpoint (``markdown_preview``).
- ``EditorAdminMixin``: wide title and name inputs, image thumbnails on forms and lists, the
  preview button on Markdown texts, one status column with its filter.
- ``LockedSelect`` / ``LockedCheckbox``: how an editor sees a publication field (its value as
  text, no choice they may not use); the posted value is still checked by the form.

It imports no model at module level (portal.admin imports it early).
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms import (
    CheckboxInput,
    Select,
    SplitDateTimeWidget,
    SplitHiddenDateTimeWidget,
    Widget,
)
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from cms.richtext import MARKDOWN_MAX_CHARS, RICHTEXT_HELP, render_richtext

from .images import RENDITION_WIDTHS, image_dimensions, rendition_name, rendition_widths

# A 120-character headline fits in the inputs of these text fields (static/css/admin.css).
HEADLINE_FIELDS = {"title", "name"}
HEADLINE_CLASS = "vTextField vHeadlineField"
DASHBOARD_ROWS = 10
# How far back "my drafts" looks in the user's own log.
DASHBOARD_LOG_DEPTH = 500


# Thumbnails ---------------------------------------------------------------------------------


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


# Publication fields as an editor sees them --------------------------------------------------


class _LockedMixin:
    note = gettext_lazy("Only publishers can change this.")

    def text(self, value):
        raise NotImplementedError

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        hidden = self.format_value(value)
        if isinstance(hidden, list):
            hidden = hidden[0] if hidden else ""
        # <output> is labelable: the field's label points at the value it shows.
        return format_html(
            '<output class="locked-state" id="{}">{}</output>{}<span class="locked-note">{}</span>',
            attrs.get("id", ""),
            self.text(value),
            format_html('<input type="hidden" name="{}" value="{}">', name, hidden)
            if hidden not in (None, "")
            else "",
            self.note,
        )


class LockedSelect(_LockedMixin, Select):
    """A choice shown as its label, posted back unchanged (still a Select for the forms)."""

    def text(self, value):
        return dict(self.choices).get(value, value)


class LockedCheckbox(_LockedMixin, Widget):
    """A published/draft tick shown as words, posted back unchanged.

    Read as a tick box (absent means unticked, never "left out"), but not one for the admin's
    layout, which would put the label after the words.
    """

    value_from_datadict = CheckboxInput.value_from_datadict
    value_omitted_from_data = CheckboxInput.value_omitted_from_data

    def __init__(self, on, off, attrs=None):
        super().__init__(attrs)
        self.on, self.off = on, off

    def format_value(self, value):
        return "on" if value else ""

    def text(self, value):
        return self.on if value else self.off


class LockedSplitDateTime(SplitHiddenDateTimeWidget):
    """A date and time shown as text, posted back unchanged (the time of a published article)."""

    note = _LockedMixin.note

    def id_for_label(self, id_):
        return id_  # the <output>

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if isinstance(value, (list, tuple)):  # as posted, when the form is shown again
            text = " ".join(part for part in value if part)
        elif value:
            text = formats.localize(timezone.template_localtime(value))
        else:
            text = "—"
        return format_html(
            '<output class="locked-state" id="{}">{}</output>{}<span class="locked-note">{}</span>',
            attrs.get("id", ""),
            text,
            super().render(name, value, {}, renderer),
            self.note,
        )


def lock(form, names):
    """Show the form's fields ``names`` as their values; the form still validates them."""
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        if isinstance(field.widget, SplitDateTimeWidget):
            field.widget = LockedSplitDateTime()
        elif isinstance(field.widget, CheckboxInput):
            field.widget = LockedCheckbox(
                _("Published on the site"), _("Draft (not on the site)"), field.widget.attrs
            )
        elif isinstance(field.widget, Select):
            widget = LockedSelect(field.widget.attrs)
            widget.choices = field.widget.choices
            field.widget = widget
        else:
            continue
        field.help_text = ""


# The mixin of every content admin -----------------------------------------------------------


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


# The site -----------------------------------------------------------------------------------


@require_POST
def markdown_preview(request, site):
    """The Markdown text posted, as the site would show it (sanitised HTML, in JSON).

    For staff who may add or change entries of the model named (``app_label.model``);
    CSRF-protected and never cached (``admin_view``). Nothing is stored.
    """
    try:
        model = apps.get_model(request.POST.get("model", ""))
    except (LookupError, ValueError):
        return HttpResponseBadRequest(_("Unknown model."))
    model_admin = site._registry.get(model)
    if model_admin is None:
        return HttpResponseBadRequest(_("Unknown model."))
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    text = request.POST.get("text", "")
    if len(text) > MARKDOWN_MAX_CHARS:
        # The form would refuse it too; rendering it could hold the worker for seconds.
        message = _(
            "This text is %(length)s characters long; a text may have at most %(limit)s. "
            "Shorten it to preview and save it."
        ) % {"length": len(text), "limit": MARKDOWN_MAX_CHARS}
        return JsonResponse({"error": message}, status=413)
    # Not through render_richtext's cache: drafts typed once would crowd out the pages' texts.
    return JsonResponse({"html": render_richtext.__wrapped__(text)})


def _change_url(site, obj):
    opts = obj._meta
    try:
        return reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def _has_field(model, name):
    return any(field.name == name for field in model._meta.concrete_fields)


def _when(row):
    when = row["when"]
    return when.timestamp() if hasattr(when, "timestamp") else 0


def dashboard(site, request):
    """The home page's lists: the user's drafts, what is scheduled, everyone's latest changes.

    A fixed number of queries whatever the amount of content: one for the user's log, one
    per publishable model for its drafts and one for its scheduled entries, one for the log.
    """
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    visible = [
        model
        for model, model_admin in site._registry.items()
        if model_admin.has_view_or_change_permission(request)
    ]
    types = ContentType.objects.get_for_models(*visible)  # cached after the first request
    publishing = sorted(
        (
            (model, site._registry[model])
            for model in visible
            if hasattr(site._registry[model], "filter_publication")
        ),
        key=lambda item: item[0]._meta.label,
    )
    mine = {}
    log = (
        LogEntry.objects.filter(
            user=request.user,
            content_type__in=[types[model] for model, _admin in publishing],
            action_flag__lt=3,
        )
        .order_by("-action_time")
        .values_list("content_type_id", "object_id")[:DASHBOARD_LOG_DEPTH]
    )
    for type_id, object_id in log:
        mine.setdefault(type_id, set()).add(object_id)

    def rows(queryset, when):
        return [
            {
                "object": obj,
                "url": _change_url(site, obj),
                "kind": capfirst(obj._meta.verbose_name),
                "when": getattr(obj, when, None),
            }
            for obj in queryset
        ]

    drafts, scheduled = [], []
    for model, model_admin in publishing:
        ids = mine.get(types[model].pk)
        queryset = model_admin.get_queryset(request)
        if ids:
            pks = [model._meta.pk.to_python(pk) for pk in ids]
            own = model_admin.filter_publication(queryset, DRAFT).filter(pk__in=pks)
            changed = "updated_at" if _has_field(model, "updated_at") else "pk"
            drafts += rows(own.order_by(f"-{changed}")[:DASHBOARD_ROWS], changed)
        if SCHEDULED in dict(model_admin.publication_choices()):
            ahead = model_admin.filter_publication(queryset, SCHEDULED)
            field = model_admin.schedule_field
            scheduled += rows(ahead.order_by(field)[:DASHBOARD_ROWS], field)
    drafts.sort(key=_when, reverse=True)
    scheduled.sort(key=_when)
    recent = (
        LogEntry.objects.filter(content_type__in=types.values())
        .select_related("user", "content_type")
        .order_by("-action_time")[:DASHBOARD_ROWS]
    )
    return {
        "my_drafts": drafts[:DASHBOARD_ROWS],
        "scheduled": scheduled[:DASHBOARD_ROWS],
        "recent_changes": list(recent),
    }


class EditorAdminSite(admin.AdminSite):
    """The admin of the portal: the programme's name, a home page for editors, the preview."""

    site_header = gettext_lazy("INO Tomsk: content management")
    site_title = gettext_lazy("INO Tomsk")
    index_title = gettext_lazy("Content of the portal")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin of the site names its model grammatically (portal/admin_grammar.py)."""
        from .admin_grammar import grammatical

        admin_class = grammatical(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        return [
            path(
                "markdown-preview/",
                self.admin_view(lambda request: markdown_preview(request, self)),
                name="markdown-preview",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        from public.sitepages import hidden_sections  # the public site's, read for staff

        context = dashboard(self, request)
        context["hidden_sections"] = hidden_sections(request.user)
        context.update(extra_context or {})
        return super().index(request, context)
