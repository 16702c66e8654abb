"""Validation of an upload: the checks, and a copy of the file without its metadata.

``clean_upload`` accepts only real JPEG, PNG or WebP images within the size, pixel and
structure limits (limits.py), and returns them without EXIF, GPS, XMP or text.
``SafeImageFormField`` shows its refusals as form errors.
"""

import io
import posixpath
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, Image, ImageOps, JpegImagePlugin, UnidentifiedImageError

from .limits import (
    ALLOWED_EXTENSIONS,
    FORMAT_NAMES,
    FORMATS,
    MAX_CMYK_JPEG_PIXELS,
    MAX_PIXELS,
    MAX_PIXELS_BY_FORMAT,
    MAX_REENCODED_PIXELS,
    MAX_UPLOAD_BYTES,
    MESSAGES,
    OPTIMIZE_MAX_PIXELS,
    SWAPPING_ORIENTATIONS,
    TURNING_ORIENTATIONS,
)
from .structure import _check_structure, _png_stripped, _webp_stripped


def _extension(name):
    return posixpath.splitext(name or "")[1].lstrip(".").lower()


def _megapixels(pixels):
    return f"{pixels / 1_000_000:g}"


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
