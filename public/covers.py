"""Generated pictures for content without one: card covers (inline SVG) and social cards (PNG).

Nothing here invents a photograph: a cover is a few shapes and the programme's mark in the
colour of the object's cluster or direction (docs/design.md lists the colours), laid out by a
hash of its slug so that each object keeps its own. A social card (1200 × 630, for Open Graph)
adds the title; it is rendered once with Pillow and stored in media under a name made of the
object and a hash of what it shows, so it is drawn again only when its title or colour changes.
"""

import hashlib
import io
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

# The colour tokens of static/css/site.css (--cluster-N, --direction-N, --brand), by the
# ``order`` of a cluster, direction or park type; each keeps 4.5:1 against white text.
BRAND = "#0b4a6f"
CLUSTER_COLOURS = ["#9a3d12", "#5b3fa8", "#2f6b2f", "#0e6f8a", "#7a5b00", "#8a2f5b"]
DIRECTION_COLOURS = ["#1f5fa8", "#0f7a5c", "#b03a2e", "#6a4c93", "#35566e"]
# Content with no cluster or direction of its own to hand: a colour of the palette by slug.
PALETTE = CLUSTER_COLOURS + DIRECTION_COLOURS

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
CARD_SIZE = (1200, 630)
# Part of every stored card's name: raise it when the drawing changes, to draw them again.
CARD_VERSION = "1"


def _digest(text):
    return hashlib.sha256(text.encode()).digest()


def _pick(colours, order):
    return colours[(max(order or 1, 1) - 1) % len(colours)]


def _prefetched(obj, relation):
    """The rows of ``relation`` if they were prefetched (never a query), else []."""
    cache = getattr(obj, "_prefetched_objects_cache", {})
    return list(cache[relation]) if relation in cache else []


def colour_of(obj):
    """The colour of ``obj``: a cluster's or direction's own; a project's direction's; a
    park's type's; else its first cluster or direction when loaded; else one by its slug."""
    model = type(obj).__name__
    if model == "Cluster":
        return _pick(CLUSTER_COLOURS, obj.order)
    if model == "Direction":
        return _pick(DIRECTION_COLOURS, obj.order)
    if model == "Park" and "park_type" in obj._state.fields_cache:
        return _pick(PALETTE, obj.park_type.order)
    direction_id = getattr(obj, "direction_id", None)
    if direction_id and "direction" in obj._state.fields_cache:
        return _pick(DIRECTION_COLOURS, obj.direction.order)
    for relation, colours in (("clusters", CLUSTER_COLOURS), ("directions", DIRECTION_COLOURS)):
        rows = _prefetched(obj, relation)
        if rows:
            return _pick(colours, rows[0].order)
    slug = getattr(obj, "slug", "") or str(getattr(obj, "pk", ""))
    return PALETTE[_digest(slug)[0] % len(PALETTE)]


def _layout(obj):
    """Where the shapes go, from the slug's hash: the same object, the same picture."""
    seed = _digest(f"{type(obj).__name__}:{getattr(obj, 'slug', '') or obj.pk}")
    return {
        "big": (40 + seed[1] % 320, 20 + seed[2] % 180, 90 + seed[3] % 70),
        "ring": (seed[4] % 400, seed[5] % 225, 50 + seed[6] % 60),
        "dots": seed[7] % 3,
        "variant": seed[8] % 3,
    }


# The programme's mark (static/img/logo.svg): three linked nodes, in a 32-unit square.
MARK_NODES = [(9, 22), (16, 9), (24, 19)]


def _mark_svg(x, y, scale, opacity):
    nodes = [(x + nx * scale, y + ny * scale) for nx, ny in MARK_NODES]
    path = "M" + " L".join(f"{a:.0f} {b:.0f}" for a, b in nodes) + " Z"
    circles = "".join(
        f'<circle cx="{a:.0f}" cy="{b:.0f}" r="{3.2 * scale:.0f}"/>' for a, b in nodes
    )
    return (
        f'<g fill="#fff" stroke="#fff" fill-opacity="{opacity}" stroke-opacity="{opacity}">'
        f'<path d="{path}" fill="none" stroke-width="{1.6 * scale:.1f}"/>{circles}</g>'
    )


def cover_svg(obj):
    """An inline SVG cover (16:9) for a card whose content has no picture; decorative."""
    colour = colour_of(obj)
    shapes = _layout(obj)
    bx, by, br = shapes["big"]
    rx, ry, rr = shapes["ring"]
    parts = [
        f'<rect width="400" height="225" fill="{colour}"/>',
        f'<circle cx="{bx}" cy="{by}" r="{br}" fill="#fff" fill-opacity="0.1"/>',
        f'<circle cx="{rx}" cy="{ry}" r="{rr}" fill="none" stroke="#fff" '
        f'stroke-opacity="0.28" stroke-width="6"/>',
    ]
    if shapes["variant"] == 0:  # a band of diagonal lines
        parts.append(
            '<path d="'
            + " ".join(f"M{x} 225 L{x + 120} 105" for x in range(-40, 200, 18))
            + '" stroke="#fff" stroke-opacity="0.16" stroke-width="3"/>'
        )
    elif shapes["variant"] == 1:  # concentric arcs from a corner
        parts.append(
            '<g fill="none" stroke="#fff" stroke-opacity="0.18" stroke-width="4">'
            + "".join(f'<circle cx="0" cy="225" r="{r}"/>' for r in range(40, 200, 32))
            + "</g>"
        )
    else:  # a grid of dots
        parts.append(
            '<g fill="#fff" fill-opacity="0.3">'
            + "".join(
                f'<circle cx="{24 + 22 * col}" cy="{24 + 22 * row}" r="3"/>'
                for row in range(4)
                for col in range(6)
            )
            + "</g>"
        )
    parts.append(_mark_svg(300, 120, 2.6, 0.9))
    return format_html(
        '<svg class="card-cover" viewBox="0 0 400 225" width="400" height="225" '
        'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        mark_safe("".join(parts)),  # noqa: S308 - numbers and colours of ours only
    )


# Social cards ---------------------------------------------------------------------------


def _fonts(size):
    """(latin, cyrillic) faces of the self-hosted Golos Text at ``size``, bold."""
    faces = []
    for subset in ("latin", "cyrillic"):
        face = ImageFont.truetype(str(FONTS / f"golos-text-{subset}-wght-normal.woff2"), size)
        face.set_variation_by_axes([700])
        faces.append(face)
    return faces


def _is_cyrillic(char):
    return "\u0400" <= char <= "\u04ff" or char == "\u2116"


def _runs(text):
    """``text`` cut into runs of one script (the fonts come in a Latin and a Cyrillic file)."""
    runs = []
    for char in text:
        cyr = _is_cyrillic(char)
        if runs and runs[-1][0] == cyr:
            runs[-1][1] += char
        else:
            runs.append([cyr, char])
    return runs


def _draw_text(draw, position, text, fonts, fill):
    x, y = position
    for cyr, run in _runs(text):
        font = fonts[1 if cyr else 0]
        draw.text((x, y), run, font=font, fill=fill)
        x += draw.textlength(run, font=font)


def _width(draw, text, fonts):
    return sum(draw.textlength(run, font=fonts[1 if cyr else 0]) for cyr, run in _runs(text))


def _wrap(draw, text, fonts, width, lines):
    words, out = text.split(), []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if _width(draw, candidate, fonts) <= width or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        while _width(draw, out[-1] + " …", fonts) > width and " " in out[-1]:
            out[-1] = out[-1].rsplit(" ", 1)[0]
        out[-1] = out[-1].rstrip(" …") + " …"
    return out


def render_social_card(title, colour, label, brand, obj):
    """The PNG bytes of a 1200 × 630 card: shapes and mark in ``colour``, ``label`` (the kind
    of content), ``title`` and the brand."""
    image = Image.new("RGB", CARD_SIZE, colour)
    overlay = Image.new("RGBA", CARD_SIZE, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    scale = 3
    bx, by, br = (v * scale for v in _layout(obj)["big"])
    shapes.ellipse((bx - br, by - br, bx + br, by + br), fill=(255, 255, 255, 22))
    rx, ry, rr = (v * scale for v in _layout(obj)["ring"])
    shapes.ellipse((rx - rr, ry - rr, rx + rr, ry + rr), outline=(255, 255, 255, 60), width=14)
    nodes = [(930 + nx * 7, 300 + ny * 7) for nx, ny in MARK_NODES]
    shapes.line(nodes + nodes[:1], fill=(255, 255, 255, 210), width=11)
    for x, y in nodes:
        shapes.ellipse((x - 22, y - 22, x + 22, y + 22), fill=(255, 255, 255, 230))
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    draw = ImageDraw.Draw(image)
    small, big = _fonts(34), _fonts(64)
    _draw_text(draw, (80, 70), label.upper(), small, (255, 255, 255))
    lines = _wrap(draw, " ".join(str(title).split()), big, 780, 4)
    y = 150
    for line in lines:
        _draw_text(draw, (80, y), line, big, (255, 255, 255))
        y += 78
    _draw_text(draw, (80, 548), brand, small, (255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


KIND_LABELS = {
    "Article": lambda: _("News"),
    "Project": lambda: _("Project"),
    "Cluster": lambda: _("Cluster"),
    "Event": lambda: _("Event"),
    "Park": lambda: _("Park"),
    "Stakeholder": lambda: _("Stakeholder"),
}


def social_card_url(obj, title=None):
    """The URL of ``obj``'s social card, drawn and stored the first time it is asked for (or
    when its title or colour changed), else the stored file; None if it cannot be drawn."""
    title = " ".join(str(title if title is not None else obj).split())
    colour = colour_of(obj)
    label = KIND_LABELS.get(type(obj).__name__, lambda: "")()
    brand = _("INO Tomsk")
    key = hashlib.sha256(
        "|".join([CARD_VERSION, title, colour, str(label), str(brand)]).encode()
    ).hexdigest()[:16]
    name = f"social/{type(obj).__name__.lower()}/{obj.pk}-{key}.png"
    return _stored_card(name, lambda: render_social_card(title, colour, label, brand, obj))


# Cards known to be stored, so a page does not ask the store again (on object storage, a
# request each time); a card's name changes with what it shows.
STORED_CARD_SECONDS = 24 * 60 * 60


def _stored_card(name, draw):
    """The URL of the card ``name``, drawn by ``draw()`` and stored if it is not stored yet;
    None when it cannot be (the store is down, say): the page goes on without it."""
    known = f"inotomsk:social-card:{name}"
    try:
        stored = cache.get(known)
        if stored is None:
            stored = name
            if not default_storage.exists(name):
                stored = default_storage.save(name, ContentFile(draw()))
            cache.set(known, stored, STORED_CARD_SECONDS)
        return default_storage.url(stored)
    except Exception:  # any failure of drawing or of the store (botocore's are not OSError)
        logger.exception("Could not draw or store the social card %s", name)
        return None


def site_card_url():
    """The card of pages that show no one object (home, lists): the brand on its colour."""

    class Site:
        pk = "site"
        slug = "ino-tomsk"

    site = Site()
    title = _("The innovation territory of the Tomsk agglomeration")
    key = hashlib.sha256("|".join([CARD_VERSION, title, BRAND]).encode()).hexdigest()[:16]
    name = f"social/site/{key}.png"
    return _stored_card(
        name, lambda: render_social_card(title, BRAND, _("INO Tomsk"), _("INO Tomsk"), site)
    )
