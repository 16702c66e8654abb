"""Long texts typed in the admin: Markdown (with a little HTML) in, sanitised HTML out.

Editors write Markdown, so the seed texts (plain paragraphs separated by blank lines) are
already valid input. markdown-it-py turns it into HTML and nh3 (the Ammonia sanitiser) then
keeps only the allow-list below. Sanitising happens at render time, so rows saved before a
rule changed are safe too.

Rendering is bounded. markdown-it-py is pure Python: prose costs little (20,000 characters in
a millisecond) but every character that may start markup (``[``, ``*``, ``<``, a line break...)
costs tens of microseconds, and so does every line and table cell, so a text made of nothing
else ("[" * 100000) held a worker for seconds. A text is therefore at most
``MARKDOWN_MAX_CHARS`` long in the admin's forms and preview, and rendering has two budgets
that no text written for people comes near (the longest seed article, 5,345 characters, has
under 40 markup characters and 30 lines):

- a text with more than ``MAX_BLOCK_MARKS`` line breaks and table cell bars (``|``) is shown
  as plain paragraphs (escaped, its line breaks kept), not parsed as Markdown;
- a document parses at most ``MAX_INLINE_MARKS`` characters that may start inline markup; a
  paragraph (heading, table cell) that would overdraw the budget is shown as the plain text
  it is.
"""

import html
import re
from functools import lru_cache

import nh3
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

# The help of every Markdown text field (news, directory, clusters, events, programme); the
# admin knows a Markdown text by it (its preview button, cms/editing.py).
RICHTEXT_HELP = _(
    "Markdown: a blank line between paragraphs, ## Heading, - list item, **bold**, *italic*, "
    "[link text](https://…). Tables, blockquotes and figures with images from our media work "
    "too; anything else is removed when shown."
)
# The longest Markdown text the admin accepts (form error) and previews (413): six times the
# longest seed article, and short enough that any text of this length renders in well under
# half a second (tests/test_richtext_limits.py measures the pathological ones).
MARKDOWN_MAX_CHARS = 30_000
# Characters that may start inline markup, parsed per document at most this many times.
MAX_INLINE_MARKS = 3_000
# Line breaks and table cell bars ("|") of a text rendered as Markdown; past it, plain text.
MAX_BLOCK_MARKS = 4_000

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
# maxNesting (the preset's 20) bounds nested quotes and lists.
_markdown = MarkdownIt("commonmark", {"html": True, "breaks": True, "maxNesting": 20}).enable(
    "table"
)


def _bounded_inline(state):
    """markdown-it's "inline" core rule with a budget of markup characters per document: a
    paragraph (or heading, or table cell) that would overdraw it becomes one text token."""
    budget = MAX_INLINE_MARKS
    terminators = state.md.inline.terminator_re
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        marks = sum(1 for _ in terminators.finditer(token.content))
        if marks <= budget:
            budget -= marks
            state.md.inline.parse(token.content, state.md, state.env, token.children)
        else:
            text = Token("text", "", 0)
            text.content = token.content
            token.children.append(text)


_markdown.core.ruler.at("inline", _bounded_inline)


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


def _plain_paragraphs(text):
    """The text as written, escaped: paragraphs at blank lines, line breaks kept."""
    paragraphs = (part.strip() for part in re.split(r"\n[ \t]*\n", text))
    return "\n".join(
        "<p>{}</p>".format(html.escape(part, quote=False).replace("\n", "<br>\n"))
        for part in paragraphs
        if part
    )


@lru_cache(maxsize=512)
def render_richtext(text):
    """Markdown source to safe HTML (a plain string; mark it safe where it is used)."""
    if not text:
        return ""
    if text.count("\n") + text.count("|") > MAX_BLOCK_MARKS:
        return sanitise_html(_plain_paragraphs(text)).strip()
    return sanitise_html(_markdown.render(text)).strip()


def plain_html(text):
    """Markdown source to its text alone, with no tag at all, escaped for HTML.

    For places that read HTML but need no markup, such as feed summaries.
    """
    return nh3.clean(render_richtext(text), tags=set()).replace("&nbsp;", "\xa0").strip()


def without_tags(text):
    """Plain text with anything that looks like a tag removed (not Markdown-rendered)."""
    return html.unescape(nh3.clean(text, tags=set()))
