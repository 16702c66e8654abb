"""WebP renditions of a stored picture at fixed widths, written once when it is saved.

They are named after the original's full stored name (cms/renditions.py), so a page builds
its ``srcset`` from the stored width with no file access and no query.

In the save (the immediate task backend) each is stored through ``cms.uploads.store``, so a
failing save removes them all. The worker (tasks.py) writes each with ``write_whole``: a file
appears whole under its name or not at all, even when the worker is killed while writing.
The largest is written first, the smallest last: pages link the renditions once the smallest
exists (``cms.renditions.renditions_ready``).
"""

import io
import logging
import math

from django.core.files.base import ContentFile
from PIL import ExifTags, Image, ImageOps

from cms.renditions import rendition_name, rendition_widths
from cms.uploads import store

from .limits import SWAPPING_ORIENTATIONS

# The name the module had before it became a package, kept for the logging configuration.
logger = logging.getLogger("portal.images")

RENDITION_QUALITY = 82
# libwebp's effort: 2 writes a rendition twice as fast as the default 4, the file 2 to 3 %
# larger (1600 x 2400 of a detailed picture: 0.26 s instead of 0.53 s).
RENDITION_METHOD = 2
# Renditions shrink by a whole factor first (Image.reduce, a box filter, or JPEG's reduced
# decoding) to at least 1.5 times their size, then LANCZOS: hardly different from LANCZOS all
# the way, and 2 to 3 times faster (40 MP to 1600 px: 0.25 s instead of 0.7 s).
REDUCING_GAP = 1.5
REDUCIBLE_MODES = {"L", "LA", "RGB", "RGBA", "CMYK"}
RESAMPLING_MODES = {"L", "LA", "RGB", "RGBA"}


def _open_stored(field_file):
    """The stored picture decoded just large enough for its renditions, and its full size.

    A JPEG is decoded at 1/2, 1/4 or 1/8 of its size when that is still at least REDUCING_GAP
    times the largest rendition: most of the work of decoding is skipped.
    """
    with field_file.storage.open(field_file.name, "rb") as source:
        image = Image.open(source)
        width, height = image.size
        if image.getexif().get(ExifTags.Base.Orientation) in SWAPPING_ORIENTATIONS:
            width, height = height, width
        widths = rendition_widths(width)
        if image.format == "JPEG" and widths:
            scale = min(1.0, widths[-1] * REDUCING_GAP / width)
            image.draft(None, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        image.load()
    ImageOps.exif_transpose(image, in_place=True)
    return image, (width, height)


def _resizable(image):
    """The picture in a mode that Image.reduce and LANCZOS work in, converting only if needed."""
    if image.mode in REDUCIBLE_MODES:
        return image
    if image.mode == "1":
        return image.convert("L")
    if image.mode.startswith("I;16") or image.mode == "I":
        # 16-bit grey: scaled to 8 bits, not clipped (a plain conversion turns it white).
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _shrink(image, size):
    """The picture at ``size``: reduced by a whole factor first, then LANCZOS."""
    image = _resizable(image)
    factor = int(min(image.width / size[0], image.height / size[1]) / REDUCING_GAP)
    if factor > 1:
        image = image.reduce(factor)
    if image.mode not in RESAMPLING_MODES:  # CMYK, converted once smaller
        image = image.convert("RGB")
    return image.resize(size, Image.Resampling.LANCZOS)


def replace_stored(storage, name, data, field=None):
    """Store ``data`` as ``name`` in place of any file there (in a save: ``store`` records it,
    and a failing save removes it again)."""
    if storage.exists(name):  # made before, by `manage.py renditions --force` for instance
        storage.delete(name)
    # Whole or not at all: on a full disk nothing is left of it (cms/uploads.py).
    return store(storage, name, ContentFile(data), field=field)


def generate_renditions(field_file, image=None, write=replace_stored):
    """Write the WebP renditions of a stored image, the largest first, each with ``write``.

    ``image`` is the decoded upright picture when the caller has it (a cleaned upload): then
    the file is not read or decoded again.
    """
    if image is None:
        image, (width, height) = _open_stored(field_file)
    else:
        width, height = image.size
    widths = rendition_widths(width)
    if not widths:
        return
    sizes = {w: (w, max(1, round(height * w / width))) for w in widths}
    # The largest from the original, the smaller ones from it: each is little work then.
    largest = _shrink(image, sizes[widths[-1]])
    storage = field_file.storage
    for w in reversed(widths):
        picture = largest if w == widths[-1] else largest.resize(sizes[w], Image.Resampling.LANCZOS)
        out = io.BytesIO()
        picture.save(out, format="WEBP", quality=RENDITION_QUALITY, method=RENDITION_METHOD)
        name = rendition_name(field_file.name, w)
        saved = write(storage, name, out.getvalue(), field=field_file.field.name)
        if saved != name:
            logger.warning("Rendition of %s stored as %s, not %s", field_file.name, saved, name)


def missing_renditions(field_file, width):
    """The rendition names of a stored image of this width that are not in its storage."""
    names = [rendition_name(field_file.name, w) for w in rendition_widths(width)]
    return [name for name in names if not field_file.storage.exists(name)]
