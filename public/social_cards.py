"""Social cards (PNG, for Open Graph) of the objects and of the site.

A card (1200 × 630) is an object's cover (public/covers.py: its colour, shapes and mark) with
its kind and title; it is rendered once with Pillow and stored in media under a name made of
the object and a hash of what it shows, so it is drawn again only when its title or colour
changes.

A card is drawn by a background task (``draw_social_card``), queued by the first page that
asks for it: with the immediate task backend at once, in that request, as before; with a
backend that queues, by the worker, while the page names the site's card instead (or none
while that one is not drawn either), never a missing file. The task writes the card whole
(``write_whole``) and is safe to run again.
"""

import hashlib
import io
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from PIL import Image, ImageDraw, ImageFont

from cms.uploads import write_whole

from .covers import BRAND, MARK_NODES, _layout, _layout_key, colour_of

logger = logging.getLogger(__name__)

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
CARD_SIZE = (1200, 630)
# Part of every stored card's name: raise it when the drawing changes, to draw them again.
CARD_VERSION = "1"


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


def render_social_card(title, colour, label, brand, layout):
    """The PNG bytes of a 1200 × 630 card: shapes (placed by ``layout``, a ``_layout_key``)
    and mark in ``colour``, ``label`` (the kind of content), ``title`` and the brand."""
    image = Image.new("RGB", CARD_SIZE, colour)
    overlay = Image.new("RGBA", CARD_SIZE, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    scale = 3
    bx, by, br = (v * scale for v in _layout(layout)["big"])
    shapes.ellipse((bx - br, by - br, bx + br, by + br), fill=(255, 255, 255, 22))
    rx, ry, rr = (v * scale for v in _layout(layout)["ring"])
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
    """The URL of ``obj``'s social card when it is stored; else its drawing is queued (done at
    once by the immediate backend) and, until then, the site's card. None if neither is
    stored or can be drawn."""
    title = " ".join(str(title if title is not None else obj).split())
    colour = colour_of(obj)
    label = str(KIND_LABELS.get(type(obj).__name__, lambda: "")())
    brand = str(_("INO Tomsk"))
    key = hashlib.sha256("|".join([CARD_VERSION, title, colour, label, brand]).encode())
    name = f"social/{type(obj).__name__.lower()}/{obj.pk}-{key.hexdigest()[:16]}.png"
    url = _stored_card(name, [title, colour, label, brand, _layout_key(obj)])
    return url or site_card_url()


# Cards known to be stored, so a page does not ask the store again (on object storage, a
# request each time); a card's name changes with what it shows.
STORED_CARD_SECONDS = 24 * 60 * 60
# A card not stored yet is queued once in this time, however many pages ask for it.
QUEUED_CARD_SECONDS = 10 * 60


def _stored_card(name, drawing):
    """The URL of the card ``name`` if it is stored, else None, its drawing queued (the
    arguments of ``render_social_card``); None too when the store is down: the page goes on
    without it."""
    known = f"inotomsk:social-card:{name}"
    try:
        if cache.get(known) is None:
            if not default_storage.exists(name):
                if not cache.add(f"inotomsk:social-card-queued:{name}", 1, QUEUED_CARD_SECONDS):
                    return None  # queued already, not drawn yet
                result = draw_social_card.enqueue(name, *drawing)
                if result.status != TaskResultStatus.SUCCESSFUL:  # queued for the worker
                    return None
            cache.set(known, name, STORED_CARD_SECONDS)
        return default_storage.url(name)
    except Exception:  # any failure of queueing or of the store (botocore's are not OSError)
        logger.exception("Could not draw or store the social card %s", name)
        return None


@task()
def draw_social_card(name, title, colour, label, brand, layout):
    """Draw a social card and store it whole as ``name``, unless it is stored already."""
    if default_storage.exists(name):
        return "complete"
    write_whole(default_storage, name, render_social_card(title, colour, label, brand, layout))
    return "drawn"


def site_card_url():
    """The card of pages that show no one object (home, lists): the brand on its colour."""
    title = str(_("The innovation territory of the Tomsk agglomeration"))
    key = hashlib.sha256("|".join([CARD_VERSION, title, BRAND]).encode()).hexdigest()[:16]
    brand = str(_("INO Tomsk"))
    return _stored_card(f"social/site/{key}.png", [title, BRAND, brand, brand, "Site:ino-tomsk"])
