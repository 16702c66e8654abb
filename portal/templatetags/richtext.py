"""Rendering of long texts typed in the admin."""

from django import template
from django.utils.html import linebreaks

register = template.Library()


@register.filter
def richtext(value):
    """Paragraphs separated by blank lines, as HTML (text is escaped)."""
    return linebreaks(value or "", autoescape=True)
