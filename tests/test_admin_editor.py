"""The admin as editors meet it (cms/site.py, cms/editing.py): branding, headline inputs, thumbnails,
the Markdown preview, no choice an editor may not use, publishing sets the time, the status
column and filter, readable inline labels, and the home page's lists."""

import io
import json
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cms.roles import EDITORS, PUBLISHERS
from news.models import Article
from portal.models import Project

from . import factories

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/markdown-preview/"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("eddie", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def publisher(django_user_model):
    user = django_user_model.objects.create_user("paula", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


def logged_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def article_form(**overrides):
    data = {
        "title": "A new agreement",
        "slug": "a-new-agreement",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "lead": "",
        "body": "One.\n\nTwo.",
        "source": "",
        "source_url": "",
        "image_alt": "",
    }
    data.update(overrides)
    return data


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


# No choice an editor may not use ------------------------------------------------------------


def test_editor_is_offered_no_published_status_nor_publish_action(editor, publisher):
    draft = factories.article(status="draft", published_at=None)
    live = factories.project()
    client = logged_in(editor)
    for page in (url(Article, "add"), url(Article, "change", draft.pk)):
        form = client.get(page).content.decode()
        assert 'value="published"' not in form and '<select name="status"' not in form
        assert re.search(r'<output class="locked-state" id="id_status">Draft</output>', form)
    form = client.get(url(Project, "change", live.pk)).content.decode()
    assert 'type="checkbox" name="is_published"' not in form
    assert (
        '<output class="locked-state" id="id_is_published">Published on the site</output>' in form
    )
    assert '<input type="hidden" name="is_published" value="on">' in form
    # Laid out as a field with its label first, not as a tick box with the label after.
    assert re.search(r'<label for="id_is_published"[^>]*>Published:</label>\s*<output', form)
    # Nor the time of a published article, which only publishers may move.
    published = factories.article(published_at=timezone.now() + timedelta(days=2))
    form = client.get(url(Article, "change", published.pk)).content.decode()
    assert not re.search(r'<input type="text" name="published_at_[01]"', form)
    assert re.search(r'<output class="locked-state" id="id_published_at">[^<]+</output>', form)
    assert re.search(r'<input type="hidden" name="published_at_0" value="\d{4}-\d\d-\d\d"', form)
    draft_form = client.get(url(Article, "change", draft.pk)).content.decode()
    assert '<input type="text" name="published_at_0"' in draft_form  # a draft's time is free
    listing = client.get(url(Article, "changelist")).content.decode()
    assert "publish_now" not in listing and 'name="action"' not in listing
    # A publisher has both.
    client = logged_in(publisher)
    form = client.get(url(Article, "change", draft.pk)).content.decode()
    assert '<option value="published">Published</option>' in form
    assert (
        'type="checkbox" name="is_published"'
        in client.get(url(Project, "change", live.pk)).content.decode()
    )
    assert 'value="publish_now"' in client.get(url(Article, "changelist")).content.decode()


def test_editor_saving_an_unchanged_published_project_keeps_it_published(editor):
    project = factories.project(name="Live project")
    client = logged_in(editor)
    form = client.get(url(Project, "change", project.pk)).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "is_published"}
    data.update(
        {
            "summary": "Corrected summary.",
            "is_published": "on",  # the hidden input of the locked field
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "Cluster_projects-TOTAL_FORMS": "0",
            "Cluster_projects-INITIAL_FORMS": "0",
            "parks": [],
        }
    )
    response = client.post(url(Project, "change", project.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert (project.summary, project.is_published) == ("Corrected summary.", True)


# Publishing sets the time -------------------------------------------------------------------


def test_a_draft_has_no_time_until_one_is_typed(editor):
    client = logged_in(editor)
    assert client.post(url(Article, "add"), article_form()).status_code == 302
    assert Article.objects.get().published_at is None


def test_publishing_by_switching_the_status_sets_now_unless_a_time_was_typed(publisher):
    started = timezone.now() - timedelta(days=5)
    with mock.patch("django.utils.timezone.now", return_value=started):
        draft = factories.article(status="draft", published_at=None, slug="draft-one")
    typed = factories.article(
        status="draft", published_at=started + timedelta(days=30), slug="draft-two"
    )
    client = logged_in(publisher)
    now = timezone.now().replace(microsecond=0)
    with mock.patch("django.utils.timezone.now", return_value=now):
        response = client.post(
            url(Article, "change", draft.pk),
            article_form(title=draft.title, slug=draft.slug, status="published"),
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == ("published", now)
    when = timezone.localtime(typed.published_at)
    response = client.post(
        url(Article, "change", typed.pk),
        article_form(
            title=typed.title,
            slug=typed.slug,
            status="published",
            published_at_0=when.strftime("%Y-%m-%d"),
            published_at_1=when.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    typed.refresh_from_db()
    assert typed.published_at == when.replace(microsecond=0)
    assert Article.objects.scheduled().filter(pk=typed.pk).exists()


def test_publish_action_sets_now_for_a_draft_without_a_time(publisher):
    draft = factories.article(status="draft", published_at=None)
    now = timezone.now().replace(microsecond=0)
    with mock.patch("django.utils.timezone.now", return_value=now):
        response = logged_in(publisher).post(
            url(Article, "changelist"),
            {"action": "publish_now", "_selected_action": [draft.pk], "index": "0"},
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == ("published", now)


def test_staff_preview_of_a_draft_without_a_time(editor):
    draft = factories.article(status="draft", published_at=None, slug="timeless")
    page = logged_in(editor).get(draft.get_absolute_url()).content.decode()
    assert "Not published yet" in page and 'datetime=""' not in page


def test_a_published_article_always_has_a_time():
    article = factories.article(status="published", published_at=None)
    assert article.published_at is not None and article.is_public
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


# One status column, with Scheduled ----------------------------------------------------------


def test_one_status_column_and_a_filter_with_scheduled(publisher):
    now = timezone.now()
    factories.article(title="A draft", status="draft", published_at=None)
    factories.article(title="A future one", published_at=now + timedelta(hours=1))
    factories.article(title="A live one", published_at=now - timedelta(hours=1))
    client = logged_in(publisher)
    page = client.get(url(Article, "changelist"))
    content = page.content.decode()
    headers = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', content)
    assert "publication" in headers and "status" not in headers
    assert "?publication=scheduled" in content

    def titles(**params):
        response = client.get(url(Article, "changelist"), params)
        assert response.status_code == 200
        return {obj.title for obj in response.context["cl"].result_list}

    assert titles(publication="scheduled") == {"A future one"}
    assert titles(publication="published") == {"A live one"}
    assert titles(publication="draft") == {"A draft"}
    assert titles(publication="nonsense") == set()
    factories.project(name="Hidden", is_published=False)
    factories.project(name="Shown")
    response = client.get(url(Project, "changelist"), {"publication": "draft"})
    assert [p.name for p in response.context["cl"].result_list] == ["Hidden"]
    assert "?publication=scheduled" not in response.content.decode()  # no time on projects


# Readable inline labels ---------------------------------------------------------------------


def test_every_inline_row_has_a_readable_label(publisher):
    cluster = factories.cluster(name="Pharma cluster")
    project = factories.project(name="Medical campus")
    park = factories.park(name="Science park")
    cluster.projects.add(project)
    cluster.parks.add(park)
    page = logged_in(publisher).get(url(Project, "change", project.pk)).content.decode()
    assert "Medical campus in Pharma cluster" in page
    assert "Add another Project in cluster" in page
    assert "object (" not in page
    # Every inline of every admin: its rows' labels say what they are.
    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            row = inline.model._default_manager.first()
            label = str(inline.model._meta.verbose_name)
            assert "_" not in label and "relationship" not in label, inline
            if row is not None:
                assert "object (" not in str(row), inline


# The admin home -----------------------------------------------------------------------------


def test_home_lists_my_drafts_scheduled_and_recent_changes(editor, publisher):
    mine = logged_in(editor)
    for n in range(2):
        mine.post(url(Article, "add"), article_form(title=f"My draft {n}", slug=f"my-draft-{n}"))
    logged_in(publisher).post(
        url(Article, "add"), article_form(title="Paula's draft", slug="paulas-draft")
    )
    factories.article(title="Coming soon", published_at=timezone.now() + timedelta(days=2))
    page = mine.get("/admin/")
    content = page.content.decode()
    drafts = [row["object"].title for row in page.context["my_drafts"]]
    assert drafts == ["My draft 1", "My draft 0"]  # not Paula's
    assert [row["object"].title for row in page.context["scheduled"]] == ["Coming soon"]
    recent = [(entry.object_repr, entry.user.username) for entry in page.context["recent_changes"]]
    assert recent[:3] == [
        ("Paula's draft", "paula"),
        ("My draft 1", "eddie"),
        ("My draft 0", "eddie"),
    ]
    draft = Article.objects.get(slug="my-draft-0")
    assert f'<a href="{url(Article, "change", draft.pk)}">My draft 0</a>' in content


def project_form(n):
    return {
        "name": f"Project {n}",
        "slug": f"project-{n}",
        "status": "planned",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "Cluster_projects-TOTAL_FORMS": "0",
        "Cluster_projects-INITIAL_FORMS": "0",
    }


def test_home_page_queries_do_not_grow_with_content(editor):
    client = logged_in(editor)
    client.post(url(Article, "add"), article_form())
    client.post(url(Project, "add"), project_form("first"))
    factories.article(published_at=timezone.now() + timedelta(days=1))
    client.get("/admin/")  # content types cached, as after the first request

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/").status_code == 200
        return len(queries)

    few = count()
    for n in range(12):
        client.post(url(Article, "add"), article_form(title=f"Draft {n}", slug=f"draft-{n}"))
        client.post(url(Project, "add"), project_form(n))
        factories.article(published_at=timezone.now() + timedelta(days=n + 2))
    assert len(client.get("/admin/").context["my_drafts"]) == 10
    assert count() == few
    assert few <= 12


# Every content admin, the later apps' included ------------------------------------------------

CONTENT_APPS = {"portal", "clusters", "news", "events", "programme"}


def test_every_content_admin_has_the_editing_aids(admin_client):
    from django.db import models

    from cms.editing import EditorAdminMixin
    from cms.richtext import RICHTEXT_HELP

    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in CONTENT_APPS:
            continue
        assert isinstance(model_admin, EditorAdminMixin), model
        response = admin_client.get(url(model, "add"))
        assert response.status_code == 200, model
        form = response.content.decode()
        fields = {f.name: f for f in model._meta.concrete_fields}
        for name in ("title", "name"):
            if name in fields and fields[name].max_length >= 120:
                assert re.search(rf'name="{name}" class="vTextField vHeadlineField"', form), model
        markdown = [
            f.name
            for f in fields.values()
            if isinstance(f, models.TextField)
            and str(f.help_text) == str(RICHTEXT_HELP)
            and f'<textarea name="{f.name}"' in form  # the _en column is edited as the name
        ]
        assert bool(markdown) == ("data-preview-url" in form), model
        for name in markdown:
            assert re.search(rf'<textarea name="{name}"[^>]*data-preview-url', form), model
        checked += 1
    assert checked >= 12
