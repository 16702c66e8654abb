"""The forms as editors meet them: branding, headline inputs, thumbnails, the Markdown
preview."""

import io
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from news.models import Article
from portal.models import Project

from .. import factories
from .helpers import logged_in, url

pytestmark = pytest.mark.django_db


PREVIEW = "/admin/markdown-preview/"


def jpeg(size=(1000, 500)):
    out = io.BytesIO()
    Image.new("RGB", size, (11, 94, 133)).save(out, format="JPEG")
    return out.getvalue()


# Branding and inputs ------------------------------------------------------------------------


def test_the_admin_is_branded_in_both_languages(editor):
    client = logged_in(editor)
    page = client.get("/admin/").content.decode()
    assert "<title>Content of the portal | INO Tomsk</title>" in page
    assert "INO Tomsk: content management" in page and "Django" not in page
    assert re.search(r'<link rel="icon" href="/static/img/favicon\.svg"', page)
    assert '<link rel="stylesheet" href="/static/css/admin.css">' in page
    assert '<script src="/static/js/admin-editor.js" defer></script>' in page
    russian = client.get("/admin/", headers={"accept-language": "ru"}).content.decode()
    assert "ИНО Томск: управление содержимым" in russian and "Мои черновики" in russian


def test_title_and_name_inputs_are_headline_inputs(editor):
    client = logged_in(editor)
    form = client.get(url(Article, "add")).content.decode()
    for name in ("title", "title_ru"):
        assert re.search(
            rf'<input type="text" name="{name}" class="vTextField vHeadlineField"', form
        )
    form = client.get(url(Project, "add")).content.decode()
    assert re.search(r'<input type="text" name="name" class="vTextField vHeadlineField"', form)
    # Only titles and names: the slug and the source keep the standard width.
    assert not re.search(r'name="slug" class="[^"]*vHeadlineField', form)


# Thumbnails ---------------------------------------------------------------------------------


def test_pictures_show_on_the_form_and_in_the_list(publisher, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = factories.project(name="Pictured project", image_alt="A blue test picture")
    project.image = ContentFile(jpeg(), name="pictured.jpg")
    project.save()
    factories.project(name="No picture")
    client = logged_in(publisher)
    rendition = f"/media/renditions/{project.image.name}.400w.webp"
    form = client.get(url(Project, "change", project.pk)).content.decode()
    assert re.search(
        rf'<img class="admin-thumbnail" src="{re.escape(rendition)}" alt="A blue test picture" '
        r'width="200" height="100" loading="lazy"',
        form,
    )
    listing = client.get(url(Project, "changelist")).content.decode()
    cells = re.findall(r'<td class="field-list_thumbnail">(.*?)</td>', listing)
    assert len(cells) == 2
    assert any(
        f'src="{rendition}" alt="A blue test picture" width="64" height="32" loading="lazy"' in cell
        for cell in cells
    )
    assert "—" in cells  # the project without a picture


# Markdown preview ---------------------------------------------------------------------------


def test_markdown_texts_carry_the_preview(editor):
    form = logged_in(editor).get(url(Article, "add")).content.decode()
    for name in ("body", "body_ru"):
        textarea = re.search(rf'<textarea name="{name}"[^>]*>', form).group(0)
        assert f'data-preview-url="{PREVIEW}"' in textarea
        assert 'data-preview-model="news.article"' in textarea
    lead = re.search(r'<textarea name="lead"[^>]*>', form).group(0)
    assert "data-preview-url" not in lead  # plain text, not Markdown


def test_preview_renders_with_the_sanitiser_for_staff_with_the_permission(editor):
    client = logged_in(editor, enforce_csrf_checks=True)
    form = client.get(url(Article, "add"))
    token = str(form.context["csrf_token"])
    text = "## Plan\n\n**Bold** [link](https://example.org) <script>alert(1)</script>"
    # Without the CSRF token: refused.
    assert client.post(PREVIEW, {"model": "news.article", "text": text}).status_code == 403
    response = client.post(
        PREVIEW, {"model": "news.article", "text": text}, headers={"x-csrftoken": token}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    html = json.loads(response.content)["html"]
    assert "<h2>Plan</h2>" in html and "<strong>Bold</strong>" in html
    assert 'rel="noopener noreferrer nofollow"' in html and "<script" not in html
    assert not Article.objects.exists()  # nothing stored
    for bad in ({"model": "news.nothing"}, {"model": "nonsense"}, {}):
        assert (
            client.post(PREVIEW, {**bad, "text": "x"}, headers={"x-csrftoken": token}).status_code
            == 400
        )
    too_long = {"model": "news.article", "text": "x" * 100_001}
    assert client.post(PREVIEW, too_long, headers={"x-csrftoken": token}).status_code == 413
    assert client.get(PREVIEW).status_code == 405


def test_preview_is_for_staff_with_the_models_permission(django_user_model):
    anonymous = Client().post(PREVIEW, {"model": "news.article", "text": "x"})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    bare = django_user_model.objects.create_user("bare", password="pw", is_staff=True)
    assert logged_in(bare).post(PREVIEW, {"model": "news.article", "text": "x"}).status_code == 403
    visitor = django_user_model.objects.create_user("visitor", password="pw")
    refused = logged_in(visitor).post(PREVIEW, {"model": "news.article", "text": "x"})
    assert refused.status_code == 302
