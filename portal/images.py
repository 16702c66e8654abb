"""Uploaded pictures: strict validation, metadata stripping and renditions made once on save.

Every image field of the content models is a ``RenditionImageField``. Its form field accepts
only real JPEG, PNG or WebP images within the size, pixel and structure limits, and stores them
without their metadata (EXIF, GPS, XMP, text). When a new file is saved, the field writes WebP
renditions at fixed widths under ``renditions/``, named after the original's full stored name,
so a page builds its ``srcset`` from the stored width with no file access and no query.

Stored names are random (``images/2026/<32 hex>.jpg``, cms/uploads.py ``random_name``), so
nobody finds a draft's picture or its renditions by guessing (``manage.py rename_uploads``
renames files stored before). Each stored original has renditions of its own: an upload never
changes the renditions, and so the picture, of another object (``photo.png`` and ``photo.jpg``
used to share ``renditions/…/photo-400w.webp``). ``manage.py renditions`` makes the missing
ones, such as those of files stored before.

A file is stored whole or not at all, its renditions too: when the storage fails (a full
disk), what was written is removed and the save fails with ``UploadNotStored``, which the
admin shows as a form error (cms/uploads.py).

Processing an upload is bounded: the file is checked, decoded once and resized with reductions
by whole factors; a JPEG is re-encoded, a PNG or WebP keeps its image data as it is and loses
only its metadata chunks (their encoders take seconds). See the limits below.
"""

import io
import logging
import math
import posixpath
import re
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, JpegImagePlugin, UnidentifiedImageError

from cms.renditions import RENDITION_WIDTHS, rendition_name, rendition_widths
from cms.uploads import SafeFieldFileMixin, UploadNotStored, random_name, remove, store

logger = logging.getLogger(__name__)

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

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The PNG chunks a picture is made of, and those that say how to show its colours. Everything
# else goes: text, EXIF, XMP, time, private chunks, and APNG's frames (the still stays).
PNG_KEPT_CHUNKS = {
    b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND",
    b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"cICP", b"mDCV", b"cLLI",
}  # fmt: skip
# The same for WebP: the image data, its alpha and colour profile; not EXIF, XMP or others.
WEBP_KEPT_CHUNKS = {b"VP8X", b"ICCP", b"ALPH", b"VP8 ", b"VP8L"}
WEBP_ANIMATION_CHUNKS = {b"ANIM", b"ANMF"}
VP8X_EXIF_AND_XMP_FLAGS = 0x08 | 0x04
# A JPEG marker: 0xFF then a code. In entropy-coded data 0xFF is followed by 0x00 (a stuffed
# byte) or a restart marker 0xD0-0xD7, which are not segments; more 0xFF are fill bytes. A plain
# 0xFF first lets the search run at memchr speed: 10 MB in 10 ms.
JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
JPEG_SOS, JPEG_EOI, JPEG_TEM = 0xDA, 0xD9, 0x01
TURNING_ORIENTATIONS = {2, 3, 4, 5, 6, 7, 8}  # EXIF orientations that need a transposition
SWAPPING_ORIENTATIONS = {5, 6, 7, 8}  # those that turn the picture a quarter


def _extension(name):
    return posixpath.splitext(name or "")[1].lstrip(".").lower()


def _megapixels(pixels):
    return f"{pixels / 1_000_000:g}"


def _too_many_parts(image_format, limit, key="too_many_parts"):
    return ValidationError(
        MESSAGES[key], code="too_many_parts", params={"format": image_format, "limit": limit}
    )


def _check_jpeg_structure(data):
    """Count markers and scans without Pillow, stopping as soon as a limit is passed."""
    markers = scans = 0
    position = 2  # after SOI
    while match := JPEG_MARKER.search(data, position):
        position = match.end()
        marker = data[position - 1]
        if marker == JPEG_EOI:
            return
        markers += 1
        if markers > MAX_JPEG_MARKERS:
            raise _too_many_parts("JPEG", MAX_JPEG_MARKERS)
        if marker == JPEG_TEM:
            continue
        # Every other marker starts a segment that gives its length; a scan's coefficients
        # follow its header, and the search above skips them, as libjpeg does.
        position += int.from_bytes(data[position : position + 2], "big")
        if marker == JPEG_SOS:
            scans += 1
            if scans > MAX_JPEG_SCANS:
                raise _too_many_parts("JPEG", MAX_JPEG_SCANS, key="too_many_scans")


def _png_chunks(data):
    """(type, start, end) of each chunk of a PNG, up to IEND."""
    position = len(PNG_SIGNATURE)
    while position + 12 <= len(data):
        kind = data[position + 4 : position + 8]
        end = position + 12 + int.from_bytes(data[position : position + 4], "big")
        yield kind, position, end
        if kind == b"IEND":
            return
        position = end


def _webp_chunks(data):
    """(type, start, end) of each chunk of a WebP, within the RIFF container's size."""
    limit = min(len(data), 8 + int.from_bytes(data[4:8], "little"))
    position = 12
    while position + 8 <= limit:
        kind = data[position : position + 4]
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        end = position + 8 + size + (size & 1)
        yield kind, position, end
        position = end


def _check_chunk_count(chunks, image_format):
    for count, _chunk in enumerate(chunks):
        if count >= MAX_CHUNKS:
            raise _too_many_parts(image_format, MAX_CHUNKS)


def _check_structure(data):
    """Refuse files made of so many parts that merely opening them would take seconds."""
    if data.startswith(b"\xff\xd8\xff"):
        _check_jpeg_structure(data)
    elif data.startswith(PNG_SIGNATURE):
        _check_chunk_count(_png_chunks(data), "PNG")
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        _check_chunk_count(_webp_chunks(data), "WebP")


def _format_name(image_format):
    return FORMAT_NAMES.get(image_format, image_format)


def _pixel_limit(image):
    if image.format == "JPEG" and image.mode == "CMYK":
        return "CMYK JPEG", MAX_CMYK_JPEG_PIXELS
    return _format_name(image.format), MAX_PIXELS_BY_FORMAT.get(image.format, MAX_PIXELS)


def _open_within_limits(data):
    """Open image bytes, turning Pillow's decompression-bomb guard into a form error."""
    with warnings.catch_warnings():
        # Beyond Pillow's own limit the warning becomes an error here, never a 500.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(
                MESSAGES["bomb"], code="too_many_pixels", params={"limit": MAX_PIXELS // 1_000_000}
            ) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise ValidationError(MESSAGES["not_image"], code="not_image") from None
    width, height = image.size
    kind, limit = _pixel_limit(image)
    if width * height > limit:
        params = {
            "megapixels": round(width * height / 1_000_000, 1),
            "limit": _megapixels(limit),
            "format": kind,
            "jpeg_limit": _megapixels(MAX_PIXELS_BY_FORMAT["JPEG"]),
        }
        key = "too_many_pixels" if limit == MAX_PIXELS else "too_many_pixels_format"
        raise ValidationError(MESSAGES[key], code="too_many_pixels", params=params)
    return image


class CleanedUpload(SimpleUploadedFile):
    """A checked upload without metadata; ``image`` is its decoded upright picture."""

    image = None


def clean_upload(upload):
    """Validate an uploaded image and return a copy without its metadata."""
    extension = _extension(upload.name)
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(MESSAGES["extension"], code="extension")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            MESSAGES["too_big"],
            code="too_big",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_UPLOAD_BYTES),
            },
        )
    upload.seek(0)
    data = upload.read()
    _check_structure(data)
    image = _open_within_limits(data)
    if image.format not in FORMATS:
        raise ValidationError(MESSAGES["format"], code="format", params={"format": image.format})
    extensions, content_type = FORMATS[image.format]
    if extension not in extensions:
        raise ValidationError(
            MESSAGES["mismatch"], code="mismatch", params={"format": image.format}
        )
    try:
        image.verify()
        # verify() leaves the image unusable; decode it fully from a fresh handle, once.
        image = _open_within_limits(data)
        image.load()
        cleaned = _without_metadata(image, data)
    except ValidationError:
        raise
    except Exception:  # Pillow raises many types for damaged files; all mean "not an image".
        raise ValidationError(MESSAGES["not_image"], code="not_image") from None
    result = CleanedUpload(upload.name, cleaned, content_type=content_type)
    result.image = image
    return result


def _without_metadata(image, data):
    """The file without metadata, with its orientation applied to ``image`` (in place).

    A PNG or WebP keeps its image data byte for byte and loses its other chunks; a JPEG, one
    that must be turned, or an animated WebP is re-encoded.
    """
    turn = image.getexif().get(ExifTags.Base.Orientation) in TURNING_ORIENTATIONS
    if image.format in ("PNG", "WEBP") and not turn:
        stripped = (_png_stripped if image.format == "PNG" else _webp_stripped)(data)
        if stripped is not None and _same_picture(stripped, image):
            return stripped
    if image.format != "JPEG" and image.width * image.height > MAX_REENCODED_PIXELS:
        raise ValidationError(
            MESSAGES["too_many_pixels_reencoded"],
            code="too_many_pixels",
            params={
                "megapixels": round(image.width * image.height / 1_000_000, 1),
                "limit": _megapixels(MAX_REENCODED_PIXELS),
                "format": _format_name(image.format),
            },
        )
    return _reencoded(image)


def _png_stripped(data):
    """The PNG with only the chunks that make the picture, copied as they are."""
    kept = [data[start:end] for kind, start, end in _png_chunks(data) if kind in PNG_KEPT_CHUNKS]
    return PNG_SIGNATURE + b"".join(kept)


def _webp_stripped(data):
    """The WebP still with only its image chunks, or None for an animation."""
    kept = []
    for kind, start, end in _webp_chunks(data):
        if kind in WEBP_ANIMATION_CHUNKS:
            return None
        if kind == b"VP8X":  # the header announces the chunks that follow: not EXIF or XMP now
            flags = data[start + 8] & ~VP8X_EXIF_AND_XMP_FLAGS
            kept.append(data[start : start + 8] + bytes([flags]) + data[start + 9 : end])
        elif kind in WEBP_KEPT_CHUNKS:
            kept.append(data[start:end])
    body = b"WEBP" + b"".join(kept)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def _same_picture(stripped, image):
    """Whether the stripped file still opens as the same picture (its header only)."""
    try:
        copy = Image.open(io.BytesIO(stripped))
    except Exception:
        return False
    return (copy.format, copy.mode, copy.size) == (image.format, image.mode, image.size)


def _same_jpeg_quality(image, swapped):
    """Encoder options that keep a JPEG's quantization tables and chroma subsampling.

    Re-encoding at the quality the file was made with loses little more and keeps its size:
    a fixed quality 90 made a 10 MB upload at quality 18 a 19 MB file, and slower to write.
    """
    tables = getattr(image, "quantization", None)
    if not tables or not 0 < len(tables) < 5 or any(len(t) != 64 for t in tables.values()):
        return {"quality": 90}
    if swapped:  # a quarter turn swaps horizontal and vertical frequencies
        tables = {k: [t[8 * (i % 8) + i // 8] for i in range(64)] for k, t in tables.items()}
    options = {"qtables": tables}
    subsampling = JpegImagePlugin.get_sampling(image)
    if subsampling in (0, 2) or (subsampling == 1 and not swapped):  # 4:4:4, 4:2:0, 4:2:2
        options["subsampling"] = subsampling
    return options


def _reencoded(image):
    """Re-encode in the same format, orientation applied in place: no EXIF, XMP or text."""
    image_format = image.format
    swapped = image.getexif().get(ExifTags.Base.Orientation) in SWAPPING_ORIENTATIONS
    jpeg_options = _same_jpeg_quality(image, swapped) if image_format == "JPEG" else {}
    icc_profile = image.info.get("icc_profile")
    # Not metadata: a PNG's transparent colour (PNG's writer takes it from info).
    kept = {key: image.info[key] for key in ("transparency",) if key in image.info}
    ImageOps.exif_transpose(image, in_place=True)  # no copy of a 40 MP picture
    image.info = kept
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options.update(jpeg_options)
        options["optimize"] = image.width * image.height <= OPTIMIZE_MAX_PIXELS
    elif image_format == "WEBP":
        options.update(quality=90)
    else:
        # zlib's fastest level: on adversarial content 6 takes 4 times longer, 9 60 times.
        options.update(compress_level=1)
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


class SafeImageFormField(forms.ImageField):
    """An image upload checked by ``clean_upload``, with its messages as form errors."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return clean_upload(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = "image/jpeg,image/png,image/webp"
        return attrs


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


def generate_renditions(field_file, image=None):
    """Write the WebP renditions of a stored image; called once, when it is saved.

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
        if storage.exists(name):  # made before, by `manage.py renditions --force` for instance
            storage.delete(name)
        # Whole or not at all: on a full disk nothing is left of it (cms/uploads.py).
        saved = store(storage, name, ContentFile(out.getvalue()), field=field_file.field.name)
        if saved != name:
            logger.warning("Rendition of %s stored as %s, not %s", field_file.name, saved, name)


def missing_renditions(field_file, width):
    """The rendition names of a stored image of this width that are not in its storage."""
    names = [rendition_name(field_file.name, w) for w in rendition_widths(width)]
    return [name for name in names if not field_file.storage.exists(name)]


class SafeImageFieldFile(SafeFieldFileMixin, ImageFieldFile):
    """A stored picture, saved whole or not at all (cms/uploads.py)."""


class RenditionImageField(models.ImageField):
    """An ImageField that validates uploads strictly and makes renditions once, on save."""

    attr_class = SafeImageFieldFile
    default_validators = [FileExtensionValidator(ALLOWED_EXTENSIONS)]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})

    def generate_filename(self, instance, filename):
        # A random name in the field's folder: a draft's picture (and its renditions, named
        # after it) cannot be found by guessing the uploaded file's name.
        return super().generate_filename(instance, random_name(filename))

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        is_new_upload = bool(file) and not file._committed
        upload = file.file if is_new_upload else None
        file = super().pre_save(model_instance, add)
        if is_new_upload:
            decoded = upload.image if isinstance(upload, CleanedUpload) else None
            try:
                generate_renditions(file, image=decoded)
            except UploadNotStored:
                # The storage failed (a full disk): no half-made picture is left, the save fails.
                for name in [file.name, *(rendition_name(file.name, w) for w in RENDITION_WIDTHS)]:
                    remove(file.storage, name)
                raise
            except Exception:  # A rendition problem must not lose the editor's save.
                logger.exception("Could not make renditions of %s", file.name)
            if decoded is not None:
                upload.image = None  # up to 160 MB, no longer needed
        return file

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        if not force and not {self.width_field, self.height_field} <= instance.__dict__.keys():
            # Deferred by .only(): filling them in would cost a query per row.
            return
        # Rows are loaded on every page; a missing or broken file must not break them.
        try:
            super().update_dimension_fields(instance, *args, force=force, **kwargs)
        except (OSError, ValueError, SyntaxError):
            logger.warning("Could not read the dimensions of %s", getattr(instance, self.attname))
