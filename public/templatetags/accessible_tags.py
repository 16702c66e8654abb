"""Pictures as the accessible version's "images" setting wants them: with images off, each
content image is replaced on the server by its alt text (public/accessible.py), so nothing is
downloaded and the text is there without script or style sheet."""

from django import template

from portal.templatetags.images import responsive_image
from public.accessible import image_text, images_as_text
from public.templatetags.design_tags import card_media

register = template.Library()


def _images_off(context):
    switch = context.get("a11y")
    return bool(switch) and switch.images_off


# A detail page's picture spans the text column.
DETAIL_SIZES = "(min-width: 50em) 48em, 100vw"


@register.simple_tag(takes_context=True)
def content_image(context, image, alt, sizes=DETAIL_SIZES, css_class="detail-image"):
    """``responsive_image`` (by default a detail page's picture), or its alt text while images
    are off."""
    if _images_off(context):
        return image_text(alt) if image else ""
    return responsive_image(image, alt, sizes=sizes, css_class=css_class)


@register.simple_tag(takes_context=True)
def card_image(context, obj, image, alt):
    """``card_media`` (the picture or a generated cover), or the picture's alt text while
    images are off; a cover is decoration and leaves nothing."""
    if _images_off(context):
        return image_text(alt, css_class="image-alt card-image-alt") if image else ""
    return card_media(obj, image, alt)


@register.filter
def a11y_images(html, switch):
    """Rich text as the switch ``a11y`` wants it: its images replaced by their alt text while
    images are off, unchanged otherwise."""
    if switch and switch.images_off:
        return images_as_text(html)
    return html


@register.simple_tag
def image_alt(alt):
    """The text that stands for an image while images are off (for an <img> in a template)."""
    return image_text(alt)
