"""Renditions: made once on save, served in srcset, named apart for every object and upload."""

import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import timezone
from PIL import Image

from cms.renditions import RENDITION_WIDTHS, rendition_name
from news.models import Article
from portal import images
from portal.models import Project

from .. import factories
from .helpers import article_data, change_url, colour_of, image_bytes, media_files, upload

pytestmark = pytest.mark.django_db


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


# Row 2 of the attack: renditions were named from the stored file's stem only, so photo.png on
# a draft project replaced the renditions of photo.jpg on a published article.


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
