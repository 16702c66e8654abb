"""What the public sees (published only) and staff preview; health and robots; nothing
loaded from another host; related news; the menu's current section."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.db import DatabaseError
from django.utils import timezone

from clusters.models import Cluster
from news.models import Article
from portal.models import Project, Stakeholder
from public import health as views

from .. import factories
from .helpers import CENTER, FASO_SLUG, MARCH_ARTICLE, PAGES, PHARMA

pytestmark = pytest.mark.django_db


def test_public_sees_only_published_content(seeded, client):
    Article.objects.filter(slug=MARCH_ARTICLE).update(status=Article.Status.DRAFT)
    Project.objects.filter(slug=CENTER).update(is_published=False)
    Cluster.objects.filter(slug=PHARMA).update(is_published=False)
    Stakeholder.objects.filter(slug=FASO_SLUG).update(is_published=False)
    for url in (
        f"/news/{MARCH_ARTICLE}/",
        f"/projects/{CENTER}/",
        f"/clusters/{PHARMA}/",
        f"/stakeholders/{FASO_SLUG}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in ("/", "/news/", "/projects/", "/clusters/", "/stakeholders/", "/search/?q=medical"):
        content = client.get(url).content.decode()
        assert MARCH_ARTICLE not in content and f"/projects/{CENTER}/" not in content, url
        assert (
            f"/clusters/{PHARMA}/" not in content and f"/stakeholders/{FASO_SLUG}/" not in content
        )
    rss = client.get("/news/feed/rss/").content.decode()
    assert MARCH_ARTICLE not in rss
    sitemap = client.get("/sitemap-news.xml").content.decode()
    assert MARCH_ARTICLE not in sitemap


def test_staff_preview_of_drafts_and_scheduled(seeded, client, superuser):

    draft = factories.article(status=Article.Status.DRAFT, title="Draft piece")
    scheduled = factories.article(published_at=timezone.now() + timedelta(days=1))
    hidden_project = factories.project(is_published=False)
    for obj in (draft, scheduled, hidden_project):
        assert client.get(obj.get_absolute_url()).status_code == 404
    client.force_login(superuser)
    for obj in (draft, scheduled, hidden_project):
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 200
        assert "Not published." in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"
    live = client.get(f"/news/{MARCH_ARTICLE}/")
    assert "Not published." not in live.content.decode()


def test_preview_needs_the_permission_to_view_or_change_the_object(db, client):

    draft = factories.article(status=Article.Status.DRAFT, title="Secret draft")
    hidden_project = factories.project(is_published=False)
    staff = User.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(staff)
    for obj in (draft, hidden_project):
        assert client.get(obj.get_absolute_url()).status_code == 404
    staff.user_permissions.add(Permission.objects.get(codename="view_article"))
    staff = User.objects.get(pk=staff.pk)  # permissions are cached on the object
    client.force_login(staff)
    assert "Secret draft" in client.get(draft.get_absolute_url()).content.decode()
    assert client.get(hidden_project.get_absolute_url()).status_code == 404
    staff.user_permissions.add(Permission.objects.get(codename="change_project"))
    client.force_login(User.objects.get(pk=staff.pk))
    assert client.get(hidden_project.get_absolute_url()).status_code == 200


def test_healthz_and_robots(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cache"]) == ("ok", "ok")
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()


def test_healthz_reports_database_failure(db, client, monkeypatch):

    class BrokenConnection:
        def cursor(self):
            raise DatabaseError("down")

    monkeypatch.setattr(views, "connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] != "ok"


def test_no_page_loads_from_another_host(seeded, client):
    for url in PAGES:
        content = client.get(url).content.decode()
        loaded = re.findall(r'src="(https?:[^"]+)"', content)
        loaded += re.findall(r'<link[^>]+href="(https?:[^"]+)"', content)
        for attr in loaded:
            assert attr.startswith("http://testserver/"), (url, attr)


def test_related_news_are_the_newest_sharing_anything_once_each(client):
    cluster, direction = factories.cluster(), factories.direction()
    now = timezone.now()
    article = factories.article(published_at=now - timedelta(days=10))
    article.clusters.add(cluster)
    article.directions.add(direction)
    both = factories.article(published_at=now - timedelta(days=3))
    both.clusters.add(cluster)
    both.directions.add(direction)
    by_direction = factories.article(published_at=now - timedelta(days=2))
    by_direction.directions.add(direction)
    older = factories.article(published_at=now - timedelta(days=20))
    older.clusters.add(cluster)
    oldest = factories.article(published_at=now - timedelta(days=30))
    oldest.clusters.add(cluster)
    draft = factories.article(status="draft", published_at=now - timedelta(days=1))
    draft.clusters.add(cluster)
    factories.article(published_at=now - timedelta(hours=1))  # shares nothing
    response = client.get(article.get_absolute_url())
    assert response.context["related_articles"] == [by_direction, both, older]


@pytest.mark.parametrize(
    "url,entry",
    [
        ("/news/", "News"),
        ("/projects/", "Projects"),
        ("/clusters/", "Clusters"),
        ("/parks/", "Parks"),
        ("/stakeholders/", "Stakeholders"),
        ("/about/", "About"),
        ("/", None),
        ("/search/?q=tomsk", None),
    ],
)
def test_the_menu_marks_the_current_section_only(seeded, client, url, entry):
    factories.park()  # the seeds have none, and an empty section is not in the menu
    # The header is rendered once per process and section; each page gets its own.
    client.get("/news/")
    nav = re.search(r'<nav class="site-nav".*?</nav>', client.get(url).content.decode(), re.S)
    current = re.findall(r'aria-current="page">([^<]+)<', nav.group(0))
    assert current == ([entry] if entry else []), url
