"""Long texts typed in the admin: Markdown (with a little HTML) in, sanitised HTML out.

Editors write Markdown, so the seed texts (plain paragraphs separated by blank lines) are
already valid input. markdown-it-py turns it into HTML and nh3 (the Ammonia sanitiser) then
keeps only the allow-list below. Sanitising happens at render time, so rows saved before a
rule changed are safe too.
"""

import html
from functools import lru_cache

import nh3
from django.conf import settings
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# html=True lets editors use the allowed tags (figure, captions) that Markdown lacks;
# breaks=True keeps a single line break a line break, as the earlier plain-text rendering did.
_markdown = MarkdownIt("commonmark", {"html": True, "breaks": True}).enable("table")


def _filter_attribute(tag, attribute, value):
    """Images may only come from our own media; everything else passes the allow-list."""
    if tag == "img" and attribute == "src":
        media_url = settings.MEDIA_URL
        if value.startswith(media_url) and not value.startswith("//") and ".." not in value:
            return value
        return None
    return value


def sanitise_html(html):
    """Keep only the allowed tags, attributes and URL schemes of an HTML fragment."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer nofollow",
    )
    # The serialiser writes U+00A0 as an entity; keep the seed texts' characters as they are.
    return cleaned.replace("&nbsp;", "\xa0")


@lru_cache(maxsize=512)
def render_richtext(text):
    """Markdown source to safe HTML (a plain string; mark it safe where it is used)."""
    if not text:
        return ""
    return sanitise_html(_markdown.render(text)).strip()


def plain_html(text):
    """Markdown source to its text alone, with no tag at all, escaped for HTML.

    For places that read HTML but need no markup, such as feed summaries.
    """
    return nh3.clean(render_richtext(text), tags=set()).replace("&nbsp;", "\xa0").strip()


def without_tags(text):
    """Plain text with anything that looks like a tag removed (not Markdown-rendered)."""
    return html.unescape(nh3.clean(text, tags=set()))
