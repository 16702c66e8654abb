"""Image uploads in the admin: strict validation, metadata stripped, renditions made once."""

import io
import re
import struct
import zlib
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from cms.renditions import RENDITION_WIDTHS, rendition_name
from news.models import Article
from portal import images
from portal.images import clean_upload
from portal.models import Project, Stakeholder

from . import factories

pytestmark = pytest.mark.django_db

EXIF_MAKE = 0x010F
EXIF_ORIENTATION = 0x0112


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


def bomb_png(size):
    """A tiny PNG file that claims a huge picture (1 bit per pixel, all zero)."""
    return image_bytes(size=size, image_format="PNG", mode="1")


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


def test_metadata_is_stripped_and_orientation_applied(admin_client):
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SpyCam 3000"
    exif[EXIF_ORIENTATION] = 6  # rotate 90° when shown
    data = image_bytes(size=(1000, 500), exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif()[EXIF_MAKE] == "SpyCam 3000"
    article = factories.article()
    response = admin_client.post(
        change_url(article),
        article_data(article, image=upload("photo.jpg", data), image_alt="A photo"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    with article.image.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.size == (500, 1000)
    assert (article.image_width, article.image_height) == (500, 1000)


def test_png_text_chunks_are_stripped(admin_client):
    info = PngInfo()
    info.add_text("Comment", "home address here")
    data = image_bytes(size=(64, 64), image_format="PNG", pnginfo=info)
    assert Image.open(io.BytesIO(data)).info["Comment"] == "home address here"
    article = factories.article()
    admin_client.post(
        change_url(article),
        article_data(article, image=upload("a.png", data, "image/png"), image_alt="A square"),
    )
    article.refresh_from_db()
    with article.image.open("rb") as stored:
        assert "Comment" not in Image.open(stored).info


def test_webp_upload_is_accepted(admin_client):
    article = factories.article()
    data = image_bytes(size=(500, 300), image_format="WEBP")
    response = admin_client.post(
        change_url(article),
        article_data(article, image=upload("a.webp", data, "image/webp"), image_alt="Wide"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.image.name.endswith(".webp")


def render_image(obj, sizes="(min-width: 60em) 50vw, 100vw"):
    template = Template(
        '{% load images %}{% responsive_image obj.image obj.image_alt sizes=sizes css_class="pic" %}'
    )
    return template.render(Context({"obj": obj, "sizes": sizes}))


def test_renditions_are_made_once_on_save_and_served_in_srcset(admin_client):
    article = factories.article()
    url = change_url(article)
    with mock.patch(
        "portal.images.fields.generate_renditions", wraps=images.generate_renditions
    ) as generate:
        response = admin_client.post(
            url,
            article_data(
                article,
                image=upload("river.jpg", image_bytes((2000, 1000))),
                image_alt="The Tom river",
            ),
        )
        assert response.status_code == 302
        assert generate.call_count == 1
        article = Article.objects.get(pk=article.pk)
        name = article.image.name
        storage = article.image.storage
        for width, height in [(400, 200), (800, 400), (1600, 800)]:
            with storage.open(rendition_name(name, width)) as stored:
                rendition = Image.open(stored)
                assert (rendition.format, rendition.size) == ("WEBP", (width, height))
        mtimes = {w: storage.get_modified_time(rendition_name(name, w)) for w in (400, 800, 1600)}

        # Saving again without a new file, and rendering many times, makes nothing new.
        response = admin_client.post(url, article_data(article, title="Retitled"))
        assert response.status_code == 302
        for _ in range(3):
            html = render_image(Article.objects.get(pk=article.pk))
        assert generate.call_count == 1
    assert mtimes == {w: storage.get_modified_time(rendition_name(name, w)) for w in mtimes}

    media = settings.MEDIA_URL
    assert name.endswith(".jpg")
    srcset = ", ".join(f"{media}renditions/{name}.{w}w.webp {w}w" for w in (400, 800, 1600))
    assert html == (
        f'<img src="{media}renditions/{name}.800w.webp" srcset="{srcset}" '
        'sizes="(min-width: 60em) 50vw, 100vw" alt="The Tom river" width="2000" height="1000" '
        'class="pic" loading="lazy" decoding="async">'
    )


def test_small_image_is_not_upscaled_and_serves_itself(admin_client):
    article = factories.article()
    admin_client.post(
        change_url(article),
        article_data(
            article,
            image=upload("small.png", image_bytes((600, 300), "PNG"), "image/png"),
            image_alt="Small",
        ),
    )
    article.refresh_from_db()
    storage = article.image.storage
    assert storage.exists(rendition_name(article.image.name, 400))
    assert not storage.exists(rendition_name(article.image.name, 800))
    html = render_image(article)
    assert f"{article.image.url} 600w" in html
    # The fallback is the largest candidate up to 800 px: here the original itself.
    assert html.startswith(f'<img src="{article.image.url}" ')
    assert "800w" not in html


def test_no_image_renders_nothing():
    assert render_image(factories.article()) == ""


def test_missing_file_never_breaks_a_page(admin_client):
    article = factories.article()
    admin_client.post(
        change_url(article),
        article_data(article, image=upload("gone.jpg", image_bytes()), image_alt="Gone"),
    )
    article.refresh_from_db()
    article.image.storage.delete(article.image.name)
    # Stored dimensions: the markup is built without touching the file.
    assert 'alt="Gone"' in render_image(Article.objects.get(pk=article.pk))
    # No stored dimensions either (a row from before they were recorded): nothing, no error.
    Article.objects.filter(pk=article.pk).update(image_width=None, image_height=None)
    assert render_image(Article.objects.get(pk=article.pk)) == ""


def test_loading_rows_with_images_costs_no_extra_query(admin_client, django_assert_num_queries):
    for n in range(3):
        article = factories.article()
        admin_client.post(
            change_url(article),
            article_data(article, image=upload(f"p{n}.jpg", image_bytes()), image_alt=f"P{n}"),
        )
    with django_assert_num_queries(1):
        html = "".join(render_image(a) for a in Article.objects.all())
    assert html.count("<img ") == 3
    # A list that loads the image with its dimensions, as public lists should, stays at one.
    fields = ["title", "image", "image_alt", "image_width", "image_height"]
    with django_assert_num_queries(1):
        html = "".join(render_image(a) for a in Article.objects.only(*fields))
    assert html.count("<img ") == 3
    # Deferring the dimensions does not make loading cost a query per row either.
    with django_assert_num_queries(1):
        list(Article.objects.only("title", "image", "image_alt"))


# Row 2 of the attack: renditions were named from the stored file's stem only, so photo.png on
# a draft project replaced the renditions of photo.jpg on a published article.


@pytest.fixture
def media(settings, tmp_path):
    """A media directory of the test's own: stored names do not depend on other tests."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def png_chunks_of(data, kind):
    """The whole chunks of this type in a PNG: length, type, data and CRC."""
    found, position = [], 8
    while position < len(data):
        end = position + 12 + struct.unpack(">I", data[position : position + 4])[0]
        if data[position + 4 : position + 8] == kind:
            found.append(data[position:end])
        position = end
    return found


def rendition_bytes(field_file):
    storage = field_file.storage
    found = {}
    for width in RENDITION_WIDTHS:
        name = rendition_name(field_file.name, width)
        if storage.exists(name):
            with storage.open(name) as stored:
                found[width] = stored.read()
    return found


def srcset_urls(html):
    srcset = re.search(r'srcset="([^"]*)"', html)[1]
    return {candidate.rsplit(" ", 1)[0] for candidate in srcset.split(", ")}


def colour_of(data):
    """The strongest primary colour of a picture's pixel (WebP shifts colours a little)."""
    with Image.open(io.BytesIO(data)) as picture:
        pixel = picture.convert("RGB").getpixel((10, 10))
    return ("red", "green", "blue")[pixel.index(max(pixel))]


def test_an_upload_never_changes_the_picture_of_another_object(admin_client, media):
    article = factories.article()
    response = admin_client.post(
        change_url(article),
        article_data(
            article,
            image=upload("photo.jpg", image_bytes((2000, 1000), color=(0, 0, 255))),
            image_alt="The published picture",
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    before = rendition_bytes(article.image)
    assert sorted(before) == [400, 800, 1600]
    article_html = render_image(article)

    # A draft project gets photo.png, saved through the model as any code path may do.
    project = factories.project(is_published=False)
    project.image = SimpleUploadedFile(
        "photo.png", image_bytes((2000, 1000), "PNG", color=(255, 0, 0)), "image/png"
    )
    project.image_alt = "The draft's picture"
    project.save()
    project = Project.objects.get(pk=project.pk)

    # Stored under random names now, which cannot share a stem by chance.
    assert article.image.name.rsplit(".", 1)[0] != project.image.name.rsplit(".", 1)[0]
    assert rendition_bytes(article.image) == before
    assert render_image(Article.objects.get(pk=article.pk)) == article_html
    project_renditions = rendition_bytes(project.image)
    assert sorted(project_renditions) == [400, 800, 1600]
    assert {colour_of(data) for data in before.values()} == {"blue"}
    assert {colour_of(data) for data in project_renditions.values()} == {"red"}
    assert not srcset_urls(article_html) & srcset_urls(render_image(project))


def test_two_uploads_of_the_same_name_are_stored_apart(admin_client, media):
    first, second = factories.article(), factories.article()
    for article, colour in [(first, (0, 0, 255)), (second, (255, 0, 0))]:
        response = admin_client.post(
            change_url(article),
            article_data(
                article,
                image=upload("photo.jpg", image_bytes((2000, 1000), color=colour)),
                image_alt="A photo",
            ),
        )
        assert response.status_code == 302
        if article is first:
            first = Article.objects.get(pk=first.pk)
            before = rendition_bytes(first.image)
    second = Article.objects.get(pk=second.pk)
    year = timezone.now().year
    for article in (first, second):  # random names, nothing of the uploaded one
        assert re.fullmatch(rf"images/{year}/[0-9a-f]{{32}}\.jpg", article.image.name)
    assert first.image.name != second.image.name
    assert rendition_bytes(first.image) == before
    assert {colour_of(data) for data in rendition_bytes(second.image).values()} == {"red"}
    assert not srcset_urls(render_image(first)) & srcset_urls(render_image(second))


def test_rendition_names_include_the_extension():
    assert (
        rendition_name("images/2026/photo.jpg", 400) == "renditions/images/2026/photo.jpg.400w.webp"
    )
    assert rendition_name("images/2026/photo.jpg", 400) != rendition_name(
        "images/2026/photo.png", 400
    )


# Row 13 of the attack: a 40-megapixel PNG of 116 KB held a worker 8-20 s.


def test_png_above_its_pixel_limit_is_refused_before_decoding():
    data = png_header(5_000, 4_000)  # 20 MP, 67 bytes: decoding it would fail
    assert len(data) < 100
    with (
        mock.patch.object(Image.Image, "load", side_effect=AssertionError("decoded")),
        pytest.raises(ValidationError) as refused,
    ):
        clean_upload(upload("flat.png", data, "image/png"))
    assert refused.value.code == "too_many_pixels"
    assert refused.value.messages == [
        "The image is too large (20.0 megapixels); a PNG may have at most 16 megapixels "
        "(a JPEG 40): make it smaller, or save it as a JPEG."
    ]


def test_png_keeps_its_image_data_and_loses_its_metadata(admin_client):
    info = PngInfo()
    info.add_text("Comment", "home address here")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS here</x:xmpmeta>")
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SpyCam 3000"
    picture = Image.new("P", (600, 200), 0)  # index 0: transparent
    picture.paste(1, (200, 50, 400, 150))
    picture.putpalette([255, 255, 255, 200, 30, 30] + [0, 0, 0] * 254)
    out = io.BytesIO()
    picture.save(out, "PNG", pnginfo=info, exif=exif.tobytes(), transparency=0)
    data = out.getvalue()
    assert b"SpyCam" in data and b"GPS here" in data and b"home address" in data
    article = factories.article()
    response = admin_client.post(
        change_url(article),
        article_data(article, image=upload("logo.png", data, "image/png"), image_alt="A logo"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    with article.image.open("rb") as stored:
        kept = stored.read()
    assert b"SpyCam" not in kept and b"GPS here" not in kept and b"home address" not in kept

    # Image data, palette and transparency byte for byte: no re-encoding.
    for kind in (b"IDAT", b"PLTE", b"tRNS"):
        assert png_chunks_of(kept, kind) == png_chunks_of(data, kind) != []
    with Image.open(io.BytesIO(kept)) as stored:
        assert (stored.mode, stored.info.get("transparency")) == ("P", 0)
    with article.image.storage.open(rendition_name(article.image.name, 400)) as rendition:
        assert Image.open(rendition).convert("RGBA").getpixel((0, 0))[3] == 0  # still clear


def test_webp_keeps_its_image_data_and_colour_profile_and_loses_its_metadata():
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SpyCam 3000"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (100, 50), "green").save(
        out, "WEBP", lossless=True, exif=exif.tobytes(), xmp=b"<x:xmpmeta>GPS</x:xmpmeta>",
        icc_profile=icc,
    )  # fmt: skip
    data = out.getvalue()
    cleaned = clean_upload(upload("a.webp", data, "image/webp")).read()
    assert b"SpyCam" not in cleaned and b"GPS" not in cleaned
    start = data.index(b"VP8L")
    image_chunk = data[start : start + 8 + struct.unpack("<I", data[start + 4 : start + 8])[0]]
    assert image_chunk in cleaned  # the image data, as it was
    with Image.open(io.BytesIO(cleaned)) as stored:
        stored.load()
        assert stored.info["icc_profile"] == icc
        assert "exif" not in stored.info and "xmp" not in stored.info


def test_animated_webp_and_png_are_stored_as_their_first_frame():
    frames = [Image.new("RGB", (60, 40), colour) for colour in ("red", "blue")]
    for image_format, name in [("PNG", "moving.png"), ("WEBP", "moving.webp")]:
        out = io.BytesIO()
        frames[0].save(out, image_format, save_all=True, append_images=frames[1:], lossless=True)
        assert Image.open(io.BytesIO(out.getvalue())).n_frames == 2
        cleaned = clean_upload(upload(name, out.getvalue())).read()
        with Image.open(io.BytesIO(cleaned)) as stored:
            assert getattr(stored, "n_frames", 1) == 1
        assert colour_of(cleaned) == "red"


def test_turned_png_is_re_encoded_upright_and_a_large_one_refused():
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    small = image_bytes((300, 200), "PNG", exif=exif.tobytes())
    cleaned = clean_upload(upload("turned.png", small, "image/png"))
    with Image.open(io.BytesIO(cleaned.read())) as stored:
        assert stored.size == (200, 300)
        assert dict(stored.getexif()) == {}
    large = image_bytes((2_100, 2_000), "PNG", mode="1", exif=exif.tobytes())  # 4.2 MP
    with pytest.raises(ValidationError) as refused:
        clean_upload(upload("turned.png", large, "image/png"))
    assert "such a file may have at most 4 megapixels" in refused.value.messages[0]


def test_jpeg_is_re_encoded_at_its_own_quality():
    data = image_bytes((640, 480), quality=40)
    cleaned = clean_upload(upload("a.jpg", data))
    with Image.open(io.BytesIO(data)) as original, Image.open(cleaned) as stored:
        assert stored.quantization == original.quantization
    assert cleaned.size < 2 * len(data)


def test_stored_jpeg_is_decoded_reduced_for_its_renditions(media):
    # Saved through the model with no form: the renditions are made from the stored file.
    article = factories.article()
    article.image = SimpleUploadedFile("wide.jpg", image_bytes((6_400, 400)), "image/jpeg")
    article.save()
    decoded, size = images.renditions._open_stored(article.image)
    assert size == (6_400, 400)
    assert decoded.size == (3_200, 200)  # half: still 1.5 times the 1600 px rendition
    with article.image.storage.open(rendition_name(article.image.name, 1600)) as stored:
        assert Image.open(stored).size == (1600, 100)


def test_sixteen_bit_grey_png_renditions_are_scaled_not_clipped(media):
    picture = Image.new("I;16", (800, 20), 30_000)
    out = io.BytesIO()
    picture.save(out, "PNG")
    cleaned = clean_upload(upload("depth.png", out.getvalue(), "image/png"))
    article = factories.article()
    article.image = cleaned
    article.save()
    with article.image.storage.open(rendition_name(article.image.name, 400)) as stored:
        grey = Image.open(stored).convert("L").getpixel((5, 5))
    assert abs(grey - 30_000 // 256) <= 2


# Issue 21, row 7: draft images were stored under their uploaded name (images/2026/collide.png
# and its renditions), so a proxy serving /media/ showed them to anyone who guessed.


def test_every_upload_and_its_renditions_get_a_random_name(admin_client, media):
    article = factories.article(status=Article.Status.DRAFT)
    stakeholder = factories.stakeholder()
    response = admin_client.post(
        change_url(article),
        article_data(
            article,
            image=upload("Collide.PNG", image_bytes((2000, 1000), "PNG"), "image/png"),
            image_alt="A draft's picture",
        ),
    )
    assert response.status_code == 302
    stakeholder.logo = upload("tpu-logo.jpg", image_bytes((900, 300)))
    stakeholder.logo_alt = "TPU"
    stakeholder.save()

    article = Article.objects.get(pk=article.pk)
    year = timezone.now().year
    assert re.fullmatch(rf"images/{year}/[0-9a-f]{{32}}\.png", article.image.name)
    assert re.fullmatch(rf"logos/{year}/[0-9a-f]{{32}}\.jpg", stakeholder.logo.name)
    stored = sorted(str(path.relative_to(media)) for path in media_files())
    assert len(stored) == 2 + 3 + 2  # two originals, three and two renditions
    assert not [name for name in stored if "ollide" in name or "tpu" in name]
    assert f"renditions/{article.image.name}.400w.webp" in stored
