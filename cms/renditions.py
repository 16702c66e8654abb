"""Where a stored picture's renditions live, and how wide the picture is.

The names are a convention every part of the site shares: the image fields write the
renditions (portal/images/), the pages' ``{% responsive_image %}`` and the admin's
thumbnails (cms/editing.py) read them, all from the stored name and width alone, with no file
access and no query.

With a task backend that queues (the database backend), renditions are made by the worker
after the upload (portal/images/tasks.py): until they are stored, ``renditions_ready`` says so
and pages show the original, at its own width and height.
"""

import logging

from django.core.cache import cache

from .background import made_off_the_request

logger = logging.getLogger(__name__)

# The widths of the WebP renditions made of every stored picture (never upscaled).
RENDITION_WIDTHS = (400, 800, 1600)


def rendition_name(name, width):
    """Where the rendition of the stored file ``name`` at ``width`` pixels lives.

    The full name, extension included, so that each stored file has its own renditions. The
    dot before the width keeps these names apart from the former ``<stem>-<width>w.webp``.
    """
    return f"renditions/{name}.{width}w.webp"


def rendition_widths(original_width):
    """The rendition widths made for an original of this width (never upscaled)."""
    return [width for width in RENDITION_WIDTHS if width < (original_width or 0)]


def image_dimensions(field_file):
    """(width, height) of a stored image, from the row when recorded, else from the file."""
    field = field_file.field
    instance = field_file.instance
    if field.width_field and field.height_field:
        width = getattr(instance, field.width_field, None)
        height = getattr(instance, field.height_field, None)
        if width and height:
            return width, height
    try:
        return field_file.width, field_file.height
    except (OSError, ValueError, SyntaxError):
        return None


# Pictures whose renditions are known to be stored, in this process and in the shared cache.
# They stay while the name does (a new upload gets a new random name): each process asks the
# store about a picture once, then never again.
_known_ready = set()
KNOWN_READY_MAX = 20_000
READY_SECONDS = 7 * 24 * 60 * 60
# A "not yet" is kept briefly, so a picture whose renditions never come (a task that failed
# for good) costs a file check a minute rather than one per page and picture.
NOT_READY_SECONDS = 60


def _ready_key(name):
    return f"inotomsk:renditions-ready:{name}"


def mark_renditions_ready(name):
    """Called by the worker once the renditions of ``name`` are stored."""
    cache.set(_ready_key(name), True, READY_SECONDS)


def renditions_ready(field_file, original_width):
    """Whether the renditions of a stored picture of this width may be linked.

    The worker writes the smallest rendition last, each one whole (portal/images/
    renditions.py), so the smallest existing means they all do. No query; at most a file
    check a minute per picture until the answer is yes, or the worker says so.
    """
    widths = rendition_widths(original_width)
    name = field_file.name
    if not widths or name in _known_ready or not made_off_the_request():
        return True
    key = _ready_key(name)
    try:
        ready = cache.get(key)
        if ready is None:
            ready = field_file.storage.exists(rendition_name(name, widths[0]))
            cache.set(key, ready, READY_SECONDS if ready else NOT_READY_SECONDS)
    except Exception:  # the store or the cache is down: the original is the safe choice
        logger.warning("Could not tell whether the renditions of %s are stored", name)
        return False
    if ready:
        if len(_known_ready) >= KNOWN_READY_MAX:
            _known_ready.clear()
        _known_ready.add(name)
    return ready
