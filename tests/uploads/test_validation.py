"""Refused uploads (wrong type, bombs, scripts, no alt text) are form errors that change
nothing, and keep the previous image."""

import re
import struct

import pytest

from portal.models import Stakeholder

from .. import factories
from .helpers import (
    article_data,
    change_url,
    image_bytes,
    media_files,
    png_chunk,
    png_header,
    upload,
)

pytestmark = pytest.mark.django_db


def bomb_png(size):
    """A tiny PNG file that claims a huge picture (1 bit per pixel, all zero)."""
    return image_bytes(size=size, image_format="PNG", mode="1")


def png_with_chunks(count):
    """A small valid PNG with ``count`` empty private chunks before its image data."""
    data = image_bytes((10, 10), "PNG")
    idat = data.index(b"IDAT") - 4
    return data[:idat] + png_chunk(b"prVt") * count + data[idat:]


def jpeg_claiming(width, height, mode="RGB"):
    """A tiny JPEG whose frame header claims another size (read without decoding)."""
    data = bytearray(image_bytes((8, 8), mode=mode, color=0))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def jpeg_segments(data):
    """(marker, start, end) of each segment of a JPEG, a scan with its coefficients."""
    position = 2
    while True:
        marker = data[position + 1]
        if marker == 0xD9:
            return
        end = position + 2 + struct.unpack(">H", data[position + 2 : position + 4])[0]
        if marker == 0xDA:
            end = re.compile(rb"\xff[^\x00\xd0-\xd7]").search(data, end).start()
        yield marker, position, end
        position = end


def progressive_jpeg_with_scans(count):
    """A small progressive JPEG with its last scan repeated up to ``count`` scans.

    libjpeg decodes every repeated scan over the whole picture (a warning, not an error).
    """
    data = image_bytes((64, 64), progressive=True)
    scans = [(start, end) for marker, start, end in jpeg_segments(data) if marker == 0xDA]
    start, end = scans[-1]
    return data[:end] + data[start:end] * (count - len(scans)) + data[end:]


def jpeg_with_comments(count):
    data = image_bytes((8, 8))
    return data[:2] + b"\xff\xfe\x00\x02" * count + data[2:]


def webp_claiming(width, height):
    """A tiny lossless WebP whose header claims another size (read without decoding)."""
    data = bytearray(image_bytes((10, 10), "WEBP", lossless=True))
    header = data.index(b"VP8L") + 9  # after the chunk header and the signature byte
    (bits,) = struct.unpack("<I", data[header : header + 4])
    bits = bits & ~((1 << 28) - 1) | (width - 1) | (height - 1) << 14
    data[header : header + 4] = struct.pack("<I", bits)
    return bytes(data)


def webp_with_chunks(count):
    data = image_bytes((10, 10), "WEBP")
    body = data[12:] + (b"prVt" + b"\0\0\0\0") * count
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body


def oversize_png():
    """A valid PNG padded past 10 MB (Pillow ignores trailing bytes)."""
    return image_bytes(size=(10, 10), image_format="PNG") + b"\0" * (10 * 1024 * 1024)


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)

# (file name, a function making the bytes, part of the expected error)
BAD_UPLOADS = [
    pytest.param(
        "notes.jpg", lambda: b"This is plain text, not a picture.", "not a picture", id="not-image"
    ),
    pytest.param(
        "page.png", lambda: b"<html><script>alert(1)</script></html>", "not a picture", id="html"
    ),
    pytest.param("truncated.jpg", lambda: image_bytes()[:200], "not a picture", id="truncated"),
    pytest.param("bomb.png", lambda: bomb_png((16_000, 16_000)), "far too large", id="pillow-bomb"),
    pytest.param(
        "big.png", lambda: bomb_png((10_000, 10_000)), "far too large", id="pillow-warning"
    ),
    pytest.param("wide.png", lambda: bomb_png((8_000, 6_000)), "48.0 megapixels", id="over-40-mp"),
    pytest.param(
        "tall.png",
        lambda: png_header(5_000, 4_000),
        "(20.0 megapixels); a PNG may have at most 16 megapixels",
        id="png-over-16-mp",
    ),
    pytest.param(
        "wide.webp",
        lambda: webp_claiming(5_000, 4_000),
        "(20.0 megapixels); a WebP may have at most 16 megapixels",
        id="webp-over-16-mp",
    ),
    pytest.param(
        "huge.jpg",
        lambda: jpeg_claiming(8_000, 5_200),
        "(41.6 megapixels); upload at most 40 megapixels",
        id="jpeg-over-40-mp",
    ),
    pytest.param(
        "print.jpg",
        lambda: jpeg_claiming(6_000, 4_000, mode="CMYK"),
        "(24.0 megapixels); a CMYK JPEG may have at most 20 megapixels",
        id="cmyk-jpeg-over-20-mp",
    ),
    pytest.param(
        "scans.jpg",
        lambda: progressive_jpeg_with_scans(17),
        "more than 16 progressive scans",
        id="jpeg-scans",
    ),
    pytest.param(
        "notes.jpg",
        lambda: jpeg_with_comments(1_001),
        "JPEG file is made of more than 1000 parts",
        id="jpeg-markers",
    ),
    pytest.param(
        "chunks.png",
        lambda: png_with_chunks(8_192),
        "PNG file is made of more than 8192 parts",
        id="png-chunks",
    ),
    pytest.param(
        "chunks.webp",
        lambda: webp_with_chunks(8_192),
        "WebP file is made of more than 8192 parts",
        id="webp-chunks",
    ),
    pytest.param("huge.png", lambda: oversize_png(), "upload at most 10.0\xa0MB", id="over-10-mb"),
    pytest.param("logo.svg", lambda: SVG_WITH_SCRIPT, "JPEG, PNG or WebP", id="svg-with-script"),
    pytest.param("logo.png", lambda: SVG_WITH_SCRIPT, "not a picture", id="svg-named-png"),
    pytest.param(
        "photo.gif", lambda: image_bytes(image_format="GIF"), "JPEG, PNG or WebP", id="gif"
    ),
    pytest.param("photo.php", lambda: image_bytes(), "JPEG, PNG or WebP", id="php-extension"),
    pytest.param(
        "photo.jpg", lambda: image_bytes(image_format="PNG"), "does not match", id="png-as-jpg"
    ),
    pytest.param("photo", lambda: image_bytes(), "JPEG, PNG or WebP", id="no-extension"),
]


@pytest.mark.parametrize(("name", "make_data", "message"), BAD_UPLOADS)
def test_bad_upload_is_a_form_error_and_the_row_is_unchanged(
    admin_client, name, make_data, message
):
    data = make_data()
    article = factories.article(title="Original title")
    before = media_files()
    response = admin_client.post(
        change_url(article),
        article_data(article, title="Changed title", image=upload(name, data), image_alt="A"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["image"]
    assert message in " ".join(errors["image"])
    assert message in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Original title"
    assert not article.image
    assert media_files() == before


def test_bad_upload_keeps_the_previous_image(admin_client):
    article = factories.article()
    admin_client.post(
        change_url(article),
        article_data(article, image=upload("first.jpg", image_bytes()), image_alt="First"),
    )
    article.refresh_from_db()
    first = article.image.name
    assert first
    response = admin_client.post(
        change_url(article),
        article_data(article, image=upload("second.jpg", b"not an image"), image_alt="Second"),
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.image.name, article.image_alt) == (first, "First")


def test_image_without_alt_text_is_a_form_error(admin_client):
    article = factories.article(title="Original title")
    response = admin_client.post(
        change_url(article),
        article_data(article, title="Changed", image=upload("a.jpg", image_bytes()), image_alt=" "),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["image_alt"] == ["Describe the image: alt text is required."]
    article.refresh_from_db()
    assert (article.title, bool(article.image)) == ("Original title", False)


def test_stakeholder_logo_needs_alt_text_and_valid_image(admin_client):
    stakeholder = factories.stakeholder(name="Tomsk Polytechnic University")
    url = change_url(stakeholder)
    form = admin_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields if name != "logo"}
    data.update(
        {
            "is_published": "on",
            "project_roles-TOTAL_FORMS": "0",
            "project_roles-INITIAL_FORMS": "0",
            "cluster_memberships-TOTAL_FORMS": "0",
            "cluster_memberships-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(
        url,
        {
            **data,
            "logo": upload(
                "logo.png", image_bytes(size=(300, 100), image_format="PNG"), "image/png"
            ),
        },
    )
    assert response.status_code == 200
    assert "Describe the logo" in response.content.decode()
    response = admin_client.post(
        url, {**data, "logo_alt": "TPU logo", "logo": upload("logo.svg", SVG_WITH_SCRIPT)}
    )
    assert response.status_code == 200
    assert "JPEG, PNG or WebP" in response.content.decode()
    stakeholder.refresh_from_db()
    assert not stakeholder.logo
    logo = upload("logo.png", image_bytes(size=(300, 100), image_format="PNG"), "image/png")
    response = admin_client.post(url, {**data, "logo_alt": "TPU logo", "logo": logo})
    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get(pk=stakeholder.pk)
    assert (stakeholder.logo_width, stakeholder.logo_height) == (300, 100)
