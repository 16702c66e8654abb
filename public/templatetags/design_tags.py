"""Template tags of the visual design: facet options in parts, card covers, share links."""

from urllib.parse import quote

from django import template
from django.utils.html import format_html

from portal.templatetags.images import responsive_image
from public.covers import cover_svg
from public.social_cards import site_card_url, social_card_url

register = template.Library()

# A facet shows this many options; more than a few beyond it go behind "show more".
FACET_SHOWN = 5
FACET_SLACK = 2
# A facet with more options than this gets a box that finds an option by name.
FACET_SEARCHABLE = 10


@register.simple_tag
def facet_parts(facet):
    """The options of a facet worth showing (those with results, and the checked ones), split
    into the first few and the rest, each with a unique input id."""
    options = [
        {"option": option, "id": f"f-{facet.name}-{number}"}
        for number, option in enumerate(facet.options, start=1)
        if option.count or option.selected
    ]
    first, more = options, []
    if len(options) > FACET_SHOWN + FACET_SLACK:
        first, more = options[:FACET_SHOWN], options[FACET_SHOWN:]
    return {
        "first": first,
        "more": more,
        "more_open": any(item["option"].selected for item in more),
        "searchable": len(options) > FACET_SEARCHABLE,
        "empty": not options,
    }


@register.filter
def any_option(facets):
    """Whether any facet has an option worth showing: a filter panel with nothing to choose
    is left out rather than shown as a lone button."""
    return any(option.count or option.selected for facet in facets for option in facet.options)


@register.simple_tag
def share_links(url, title):
    """Plain links that share ``url`` by e-mail, Telegram and VK (no third-party script)."""
    url_q, title_q = quote(url, safe=""), quote(str(title), safe="")
    return [
        ("email", f"mailto:?subject={title_q}&body={url_q}"),
        ("telegram", f"https://t.me/share/url?url={url_q}&text={title_q}"),
        ("vk", f"https://vk.com/share.php?url={url_q}&title={title_q}"),
    ]


@register.simple_tag
def card_media(obj, image, alt, sizes="(min-width: 60em) 20em, 100vw"):
    """A card's picture: its image, or a generated cover in its colour; the same shape."""
    picture = responsive_image(image, alt, sizes=sizes, css_class="card-image")
    return format_html('<div class="card-media">{}</div>', picture or cover_svg(obj))


@register.simple_tag(takes_context=True)
def social_image(context):
    """The absolute URL of the page's Open Graph image: its picture, else a generated card of
    the object it shows, else the site's card."""
    meta, origin = context.get("meta") or {}, context.get("site_origin") or ""
    if not origin:
        return ""
    image = meta.get("image")
    if image:
        try:
            return origin + image.url
        except ValueError:
            pass
    obj = context.get("object")
    url = social_card_url(obj, meta.get("title")) if obj is not None else site_card_url()
    return origin + url if url else ""
