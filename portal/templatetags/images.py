"""Image markup for public pages."""

from django import template
from django.utils.html import format_html

from cms.renditions import (
    RENDITION_WIDTHS,
    image_dimensions,
    rendition_name,
    rendition_widths,
    renditions_ready,
)

register = template.Library()

# The candidate the browser falls back to when it ignores srcset.
FALLBACK_WIDTH = 800


@register.simple_tag
def responsive_image(image, alt, sizes="100vw", css_class=""):
    """An <img> with the renditions in srcset, or nothing without an image.

    The rendition URLs come from the stored width and the file's name: no file access, no
    query, and a missing file gives a broken picture rather than a failed page. While the
    worker makes the renditions of a new upload, the original is the only candidate.
    """
    if not image or not getattr(image, "name", None) or not hasattr(image, "field"):
        return ""
    dimensions = image_dimensions(image)
    if dimensions is None:
        return ""
    width, height = dimensions
    storage = image.storage
    try:
        ready = renditions_ready(image, width)
        widths = rendition_widths(width) if ready else []
        candidates = [(storage.url(rendition_name(image.name, w)), w) for w in widths]
        if width <= RENDITION_WIDTHS[-1] or not ready:
            # Small enough to serve as it is, or its renditions are not made yet: the original.
            candidates.append((image.url, width))
    except (OSError, ValueError):
        return ""
    fitting = [url for url, w in candidates if w <= FALLBACK_WIDTH]
    src = fitting[-1] if fitting else candidates[0][0]
    srcset = ", ".join(f"{url} {w}w" for url, w in candidates)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}"{} '
        'loading="lazy" decoding="async">',
        src,
        srcset,
        sizes,
        alt,
        width,
        height,
        format_html(' class="{}"', css_class) if css_class else "",
    )
