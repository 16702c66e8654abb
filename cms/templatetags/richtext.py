"""Rendering of long texts typed in the admin."""

from django import template
from django.utils.safestring import mark_safe

from cms.richtext import render_richtext

register = template.Library()


@register.filter
def richtext(value):
    """Markdown to sanitised HTML: paragraphs, headings, lists, links, images, tables."""
    # Safe to mark: render_richtext passes everything through the nh3 allow-list.
    return mark_safe(render_richtext(str(value or "")))  # noqa: S308
