"""The limits an uploaded picture is held to, the formats it may have, and the messages.

Each limit says why it has its value: processing an upload must stay bounded (about 2 s of one
core for the slowest file accepted).
"""

from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Pixel limits. The upload size does not bound the work: a flat 40-megapixel PNG is 116 KB.
# Chosen so that clean_upload + generate_renditions of the slowest file accepted takes at most
# about 2 s of one core of this 2-core AMD EPYC (CPU time, best of 3, 2026-12-02; crafted worst
# cases, portrait where that is slower, as its renditions are larger):
# - JPEG decodes fastest (libjpeg-turbo). 40 MP: a camera photo turned by its EXIF orientation
#   1.1 s; progressive 4:4:4 with 10 MB of coefficients, 16 scans and a quarter turn, 2.05 s.
# - A CMYK JPEG has 4 full-resolution channels to decode, turn and write: 20 MP, 1.8 s.
# - PNG decodes about twice as slowly per pixel (zlib, per-row filters; interlaced 16-bit RGBA
#   is the worst) and has no reduced decoding: 16 MP, 1.3 s (at 40 MP, decoding alone: 2.2 s).
# - WebP has no reduced decoding either, and lossy 10 MB ones are slow: 16 MP, 1.6 s.
# MAX_PIXELS is the largest limit, the one the bomb guard and older messages name.
MAX_PIXELS = 40_000_000
MAX_PIXELS_BY_FORMAT = {"JPEG": MAX_PIXELS, "PNG": 16_000_000, "WEBP": 16_000_000}
MAX_CMYK_JPEG_PIXELS = 20_000_000
# A PNG or WebP keeps its image data; one that must be re-encoded (turned by its EXIF
# orientation, or an animated WebP flattened to its first frame) is held to this: their encoders
# are slow, on adversarial content more so (16 MP: PNG 1.4 s at zlib level 1, 6 s at level 6,
# 90 s at level 9, which was used; WebP at quality 90, 2.9 s). 4 MP: 1.3 s at worst.
MAX_REENCODED_PIXELS = 4_000_000

# Structure limits. Pillow walks JPEG markers and PNG chunks in Python, and libjpeg decodes
# every scan of a progressive JPEG over the whole picture, so a file of many tiny parts held a
# worker for seconds with few pixels (10 MB of empty PNG chunks: 13 s; 10 MB of empty JPEG
# comments: about 10 s; an extra scan of a 40 MP JPEG: 3 to 40 ms, for as little as 65 bytes,
# so 10 MB of them would take minutes). Real files stay below: a few dozen JPEG markers; 10
# scans in libjpeg's progressive mode, about as many from optimizers such as mozjpeg (libjpeg's
# progressive CMYK, with 18, is refused); ~1,300 PNG chunks for 10 MB split at libpng's 8 KB; a
# WebP still has at most 7.
MAX_JPEG_MARKERS = 1_000
MAX_JPEG_SCANS = 16
MAX_CHUNKS = 8_192  # PNG chunks, or WebP chunks (a frame of an animation is one)

# Pillow format name -> the file extensions that may carry it, and the upload's content type.
FORMATS = {
    "JPEG": (("jpg", "jpeg"), "image/jpeg"),
    "PNG": (("png",), "image/png"),
    "WEBP": (("webp",), "image/webp"),
}
FORMAT_NAMES = {"WEBP": "WebP"}  # as people write them
ALLOWED_EXTENSIONS = [ext for extensions, _type in FORMATS.values() for ext in extensions]

# A re-encoded JPEG this small gets optimized Huffman tables (0.4 s more at 40 MP).
OPTIMIZE_MAX_PIXELS = 12_000_000

MESSAGES = {
    "extension": _("Upload a JPEG, PNG or WebP image (.jpg, .jpeg, .png or .webp)."),
    "mismatch": _("The file's extension does not match its content (%(format)s)."),
    "too_big": _("The file is %(size)s; upload at most %(limit)s."),
    "not_image": _("Upload a valid image: the file is not a picture or it is damaged."),
    "format": _("Upload a JPEG, PNG or WebP image; this file is %(format)s."),
    "bomb": _("The image is far too large to open; upload at most %(limit)s megapixels."),
    "too_many_pixels": _(
        "The image is too large (%(megapixels)s megapixels); upload at most %(limit)s megapixels."
    ),
    "too_many_pixels_format": _(
        "The image is too large (%(megapixels)s megapixels); a %(format)s may have at most "
        "%(limit)s megapixels (a JPEG %(jpeg_limit)s): make it smaller, or save it as a JPEG."
    ),
    "too_many_pixels_reencoded": _(
        "The image is too large (%(megapixels)s megapixels) for a %(format)s that is animated "
        "or turned by its EXIF orientation: such a file may have at most %(limit)s megapixels. "
        "Save it upright as a still picture, or as a JPEG."
    ),
    "too_many_parts": _(
        "The %(format)s file is made of more than %(limit)s parts; save it again with an "
        "image editor."
    ),
    "too_many_scans": _(
        "The JPEG has more than %(limit)s progressive scans; save it again with an image editor."
    ),
}

TURNING_ORIENTATIONS = {2, 3, 4, 5, 6, 7, 8}  # EXIF orientations that need a transposition
SWAPPING_ORIENTATIONS = {5, 6, 7, 8}  # those that turn the picture a quarter
