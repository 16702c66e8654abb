"""Image markup for public pages."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def responsive_image(image, alt, sizes="100vw", css_class=""):
    """An <img> for an ImageField value with its alt text, or nothing without an image."""
    if not image:
        return ""
    try:
        width, height = image.width, image.height
    except (OSError, ValueError):
        return ""
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="{}" loading="lazy" decoding="async">',
        image.url,
        alt,
        width,
        height,
        css_class,
    )
