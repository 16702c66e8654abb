"""Uploaded pictures: strict validation, metadata stripping and renditions made once on save.

Every image field of the content models is a ``RenditionImageField``. Its form field accepts
only real JPEG, PNG or WebP images within the size and pixel limits and re-encodes them without
their metadata (EXIF, GPS, XMP). When a new file is saved, the field writes WebP renditions at
fixed widths next to it under ``renditions/``, with names derived from the original's name, so
a page builds its ``srcset`` from the stored width with no file access and no query.
"""

import io
import logging
import posixpath
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import FileExtensionValidator
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow format name -> the file extensions that may carry it, and the upload's content type.
FORMATS = {
    "JPEG": (("jpg", "jpeg"), "image/jpeg"),
    "PNG": (("png",), "image/png"),
    "WEBP": (("webp",), "image/webp"),
}
ALLOWED_EXTENSIONS = [ext for extensions, _type in FORMATS.values() for ext in extensions]
RENDITION_WIDTHS = (400, 800, 1600)
RENDITION_QUALITY = 82

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
}


def _extension(name):
    return posixpath.splitext(name or "")[1].lstrip(".").lower()


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
    if width * height > MAX_PIXELS:
        raise ValidationError(
            MESSAGES["too_many_pixels"],
            code="too_many_pixels",
            params={
                "megapixels": round(width * height / 1_000_000, 1),
                "limit": MAX_PIXELS // 1_000_000,
            },
        )
    return image


def clean_upload(upload):
    """Validate an uploaded image and return a copy re-encoded without its metadata."""
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
        # verify() leaves the image unusable; decode it fully from a fresh handle.
        image = _open_within_limits(data)
        image.load()
        cleaned = _without_metadata(image)
    except ValidationError:
        raise
    except Exception:  # Pillow raises many types for damaged files; all mean "not an image".
        raise ValidationError(MESSAGES["not_image"], code="not_image") from None
    result = SimpleUploadedFile(upload.name, cleaned, content_type=content_type)
    result.image = image
    return result


def _without_metadata(image):
    """Re-encode in the same format with the orientation applied and no EXIF, XMP or text."""
    image_format = image.format
    icc_profile = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    image.info = {}
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options.update(quality=90, optimize=True)
    elif image_format == "WEBP":
        options.update(quality=90)
    else:
        options.update(optimize=True)
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


def rendition_name(name, width):
    """Where the rendition of the stored file ``name`` at ``width`` pixels lives."""
    stem = posixpath.splitext(name)[0]
    return f"renditions/{stem}-{width}w.webp"


def rendition_widths(original_width):
    """The rendition widths made for an original of this width (never upscaled)."""
    return [width for width in RENDITION_WIDTHS if width < (original_width or 0)]


def generate_renditions(field_file):
    """Write the WebP renditions of a stored image; called once, when it is saved."""
    storage = field_file.storage
    with storage.open(field_file.name, "rb") as source:
        image = Image.open(source)
        image.load()
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    for width in rendition_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        out = io.BytesIO()
        image.resize((width, height), Image.Resampling.LANCZOS).save(
            out, format="WEBP", quality=RENDITION_QUALITY
        )
        name = rendition_name(field_file.name, width)
        if storage.exists(name):  # a leftover of an earlier file of the same name
            storage.delete(name)
        storage.save(name, ContentFile(out.getvalue()))


class RenditionImageField(models.ImageField):
    """An ImageField that validates uploads strictly and makes renditions once, on save."""

    default_validators = [FileExtensionValidator(ALLOWED_EXTENSIONS)]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        is_new_upload = bool(file) and not file._committed
        file = super().pre_save(model_instance, add)
        if is_new_upload:
            try:
                generate_renditions(file)
            except Exception:  # A rendition problem must not lose the editor's save.
                logger.exception("Could not make renditions of %s", file.name)
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
