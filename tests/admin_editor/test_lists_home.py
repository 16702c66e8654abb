"""The lists' status column and filter, readable inline labels, the admin home, and the
editing aids of every content admin."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.editing import EditorAdminMixin
from cms.richtext import RICHTEXT_HELP
from news.models import Article
from portal.models import Project

from .. import factories
from .helpers import article_form, logged_in, url

pytestmark = pytest.mark.django_db


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
