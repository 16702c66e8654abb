"""Image bytes, uploads through the admin's change form, and what a stored picture holds."""

import io
import struct
import zlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image


def image_bytes(size=(1000, 500), image_format="JPEG", mode="RGB", color=None, **options):
    out = io.BytesIO()
    if color is None:
        color = "white" if mode != "1" else 0
    Image.new(mode, size, color).save(out, format=image_format, **options)
    return out.getvalue()


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def article_data(article, **overrides):
    """The article's change form as the admin would post it back."""
    local = timezone.localtime(article.published_at)
    data = {
        "title": article.title,
        "slug": article.slug,
        "status": article.status,
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
        "lead": article.lead,
        "body": article.body,
        "source": article.source,
        "source_url": article.source_url,
        "image_alt": article.image_alt,
    }
    data.update(overrides)
    return data


def media_files():
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def png_chunk(kind, data=b""):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_header(width, height):
    """A PNG that only claims its size: Pillow reads it from IHDR and decodes nothing."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b""))
        + png_chunk(b"IEND")
    )


def colour_of(data):
    """The strongest primary colour of a picture's pixel (WebP shifts colours a little)."""
    with Image.open(io.BytesIO(data)) as picture:
        pixel = picture.convert("RGB").getpixel((10, 10))
    return ("red", "green", "blue")[pixel.index(max(pixel))]
