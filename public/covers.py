"""Generated pictures for content without one: card covers (inline SVG); social
cards (PNG, public/social_cards.py) share their colours and layout.

Nothing here invents a photograph: a cover is a few shapes and the programme's mark in the
colour of the object's cluster or direction (docs/design.md lists the colours), laid out by a
hash of its slug so that each object keeps its own.
"""

import hashlib

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The colour tokens of static/css/site.css (--cluster-N, --direction-N, --brand), by the
# ``order`` of a cluster, direction or park type; each keeps 4.5:1 against white text.
BRAND = "#0b4a6f"
CLUSTER_COLOURS = ["#9a3d12", "#5b3fa8", "#2f6b2f", "#0e6f8a", "#7a5b00", "#8a2f5b"]
DIRECTION_COLOURS = ["#1f5fa8", "#0f7a5c", "#b03a2e", "#6a4c93", "#35566e"]
# Content with no cluster or direction of its own to hand: a colour of the palette by slug.
PALETTE = CLUSTER_COLOURS + DIRECTION_COLOURS


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


def _layout_key(obj):
    return f"{type(obj).__name__}:{getattr(obj, 'slug', '') or obj.pk}"


def _layout(key):
    """Where the shapes go, from the hash of a slug (``_layout_key``): the same object, the
    same picture."""
    seed = _digest(key)
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
    shapes = _layout(_layout_key(obj))
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
