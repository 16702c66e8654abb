"""Image uploads in the admin: strict validation, metadata stripped, renditions made once."""

import io
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from news.models import Article
from portal import images
from portal.images import rendition_name
from portal.models import Stakeholder

from . import factories

pytestmark = pytest.mark.django_db

EXIF_MAKE = 0x010F
EXIF_ORIENTATION = 0x0112


def image_bytes(size=(1000, 500), image_format="JPEG", mode="RGB", **options):
    out = io.BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 0).save(out, format=image_format, **options)
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
    with mock.patch.object(
        images, "generate_renditions", wraps=images.generate_renditions
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
    stem = name.rsplit(".", 1)[0]
    srcset = ", ".join(f"{media}renditions/{stem}-{w}w.webp {w}w" for w in (400, 800, 1600))
    assert html == (
        f'<img src="{media}renditions/{stem}-800w.webp" srcset="{srcset}" '
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
