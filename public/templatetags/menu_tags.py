"""Links of the site's menus, one tag instead of the same long <a> in every menu."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_link(context, url, label, section="", lang="", here=True):
    """An <a> of a menu, marked ``aria-current="page"`` when ``section`` is the page's section
    or, without a section, when ``url`` is the page's own path (unless ``here`` is false);
    ``lang`` names the label's language where it differs from the page's."""
    if section:
        current = context.get("section") == section
    else:
        request = context.get("request")
        current = here and request is not None and url == request.path
    return format_html(
        '<a href="{}"{}{}>{}</a>',
        url,
        mark_safe(' aria-current="page"') if current else "",
        format_html(' lang="{}"', lang) if lang else "",
        label,
    )
