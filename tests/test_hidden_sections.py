"""A section with nothing published leaves the menus, the home page and the sitemap; its
address still answers with a page that says so; staff read in the admin that it is hidden and
why; it returns by itself once something in it is published (public/sitepages.py)."""

import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programme.models import Document, RoadmapAction
from public.caching import end_content_version
from public.sitepages import SECTIONS, current_site_pages

from . import factories

pytestmark = pytest.mark.django_db

LIST_PATHS = {
    "news": "/news/",
    "events": "/events/",
    "projects": "/projects/",
    "clusters": "/clusters/",
    "parks": "/parks/",
    "stakeholders": "/stakeholders/",
    "roadmap": "/roadmap/",
    "documents": "/documents/",
    "map": "/map/",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def some_content():
    """News, an event, a project in a cluster and a stakeholder; no park, roadmap action or
    document (as the seeds)."""
    person = factories.stakeholder(name="Tomsk State University")
    project = factories.project(name="Medical centre", stakeholders=[(person, "lead")])
    factories.cluster(name="Timber cluster").projects.add(project)
    factories.article(title="Forum news")
    factories.event(title="Forum")


def linked(html, prefix=""):
    """The sections the header and footer link to."""
    chrome = "".join(re.findall(r"(?s)<header class=\"site-header\">.*?</header>", html))
    chrome += "".join(re.findall(r"(?s)<footer class=\"site-footer\">.*?</footer>", html))
    return {name for name, path in LIST_PATHS.items() if f'href="{prefix}{path}"' in chrome}


def test_sections_are_read_in_one_query(some_content):
    with CaptureQueriesContext(connection) as context:
        sections = current_site_pages().sections
    # The start of a content version, and one query for the pages and every section.
    assert len(context.captured_queries) == 2
    assert sections == {
        "news": True,
        "events": True,
        "projects": True,
        "clusters": True,
        "parks": False,
        "stakeholders": True,
        "roadmap": False,
        "documents": False,
        "map": False,  # nothing has a place (public/map.py)
    }
    assert set(sections) == {section.name for section in SECTIONS} == set(LIST_PATHS)
    with CaptureQueriesContext(connection) as context:
        current_site_pages()
    assert not context.captured_queries  # kept for the content version


@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_empty_sections_leave_the_menus_and_keep_their_address(client, some_content, prefix):
    home = client.get(f"{prefix}/").content.decode()
    assert linked(home, prefix) == {"news", "events", "projects", "clusters", "stakeholders"}
    # Their own pages still answer, and say why they are empty.
    parks = client.get(f"{prefix}/parks/")
    assert parks.status_code == 200
    text = parks.content.decode()
    assert f'href="{prefix}/about/#types-heading"' in text
    if prefix:
        assert "Парки пока не опубликованы." in text
        assert "Посмотреть шесть типов территорий, которые развивает программа." in text
    else:
        assert "No parks have been published yet." in text
        assert "See the six types of areas the programme develops." in text
    documents = client.get(f"{prefix}/documents/")
    assert documents.status_code == 200
    assert f'<a href="{prefix}/about/">' in documents.content.decode()
    assert client.get(f"{prefix}/roadmap/").status_code == 200
    # A hidden section's page does not put itself back in the menu.
    assert "parks" not in linked(text, prefix)


def test_a_section_returns_when_something_is_published(client, some_content):
    """The page cache and the sitemap follow: publishing ends the content version."""
    assert "parks" not in linked(client.get("/").content.decode())
    assert "/parks/" not in client.get("/sitemap-pages.xml").content.decode()
    park = factories.park(name="Medical campus")
    action = factories.roadmap_action(title="Open the campus")
    document = factories.document(title="Concept")
    home = client.get("/").content.decode()
    assert {"parks", "roadmap", "documents"} <= linked(home)
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    for path in ("/parks/", "/roadmap/", "/documents/", "/ru/parks/"):
        assert f"{path}</loc>" in sitemap or f'href="http://testserver{path}"' in sitemap, path
    # Unpublished again (in bulk, as an admin action does, then the version is ended).
    park.is_published = False
    park.save()
    RoadmapAction.objects.filter(pk=action.pk).update(is_published=False)
    Document.objects.filter(pk=document.pk).update(is_published=False)
    end_content_version()
    assert linked(client.get("/").content.decode()) & {"parks", "roadmap", "documents"} == set()
    assert "/parks/" not in client.get("/sitemap-pages.xml").content.decode()


def test_a_section_with_only_drafts_or_scheduled_news_is_hidden(client, some_content):
    from datetime import timedelta

    from django.utils import timezone

    from news.models import Article

    Article.objects.update(status=Article.Status.DRAFT)
    tomorrow = timezone.now() + timedelta(days=1)
    factories.article(title="Tomorrow", published_at=tomorrow)
    factories.park(name="A draft park", is_published=False)
    html = client.get("/").content.decode()
    assert "news" not in linked(html) and "parks" not in linked(html)
    assert client.get("/news/").status_code == 200
    # The query's other parts are built once per process; the news' reads the clock anew
    # (and the article's time ends the content version).
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        assert current_site_pages().sections["news"] is True


@pytest.mark.parametrize(
    "language,heading,note",
    [
        ("en", "Sections hidden from the public", "nothing published"),
        ("ru", "Разделы, скрытые от посетителей", "ничего не опубликовано"),
    ],
)
def test_staff_read_which_sections_are_hidden_and_why(
    admin_client, some_content, language, heading, note
):
    admin_client.cookies["django_language"] = language
    response = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert heading in html
    hidden = {section["section"].name for section in response.context["hidden_sections"]}
    assert hidden == {"parks", "roadmap", "documents", "map"}  # nothing has a place either
    assert 'href="/admin/portal/park/"' in html and note in html
    factories.park()
    factories.roadmap_action()
    factories.document()
    response = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language)
    assert [row["section"].name for row in response.context["hidden_sections"]] == ["map"]
    factories.park(latitude=56.48, longitude=84.95)
    response = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.context["hidden_sections"] == []
    assert heading not in response.content.decode()


def test_an_editor_without_access_gets_no_link(client, some_content, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="pw", is_staff=True)
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    rows = response.context["hidden_sections"]
    assert {row["section"].name for row in rows} == {"parks", "roadmap", "documents", "map"}
    assert all(row["admin_url"] == "" for row in rows)
