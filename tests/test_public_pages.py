"""Every public page renders the seed content, links both ways and has proper <head> data."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from clusters.models import Cluster
from news.models import Article
from portal.models import Project, Stakeholder

from . import factories

pytestmark = pytest.mark.django_db

PHARMA = "pharmaceutics-medical-equipment-and-it"
CENTER = "national-research-medical-center"
FASO_SLUG = "federal-agency-for-scientific-organizations"
MARCH_ARTICLE = "federal-agency-of-scientific-organizations-ino-tomsk-project-has-prompted"


class HeadParser(HTMLParser):
    """Collects what the checks below need from a page."""

    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.title = ""
        self._in_title = False
        self.meta = {}
        self.links = []
        self.hrefs = []
        self.imgs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                self.meta[key] = attrs.get("content", "")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "img":
            self.imgs.append(attrs)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(response):
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


PAGES = [
    "/",
    "/about/",
    "/news/",
    f"/news/{MARCH_ARTICLE}/",
    "/projects/",
    f"/projects/{CENTER}/",
    "/clusters/",
    f"/clusters/{PHARMA}/",
    "/stakeholders/",
    f"/stakeholders/{FASO_SLUG}/",
    "/parks/",
    "/search/?q=medical",
]


def test_every_page_has_one_h1_a_unique_title_and_head_tags(seeded, client):
    titles = set()
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        page = parse(response)
        assert page.h1 == 1, url
        assert page.title.strip() and page.title not in titles, url
        titles.add(page.title)
        assert page.meta.get("description"), url
        assert page.meta.get("og:title") and page.meta.get("og:url"), url
        canonical = [link for link in page.links if link.get("rel") == "canonical"]
        assert canonical and canonical[0]["href"].startswith("http://testserver/"), url
        assert 'class="skip-link" href="#main"' in response.content.decode(), url
        assert all(img.get("alt") is not None for img in page.imgs), url


def test_home_shows_goal_figures_directions_news_clusters_and_featured(seeded, client):
    content = client.get("/").content.decode()
    assert "Developing of competitive and high-performance innovation center" in content
    assert (
        "RUB 250 bln – investment gap. Confirmed extra-budgetary resources amounts to 65%."
        in content
    )
    assert "Smart and handy city" in content
    assert "II\xa0Forum of\xa0University Cities" in content  # the newest articles
    assert "Cluster of wildlife resources" in content
    # The seeds feature no project; test data does.
    assert "National Research Medical Center" not in content
    factories.project(name="A featured test project", is_featured=True)
    assert "A featured test project" in client.get("/").content.decode()


def test_about_lists_directions_figures_and_park_types(seeded, client):
    content = client.get("/about/").content.decode()
    for text in ("Business environment", "Historical and cultural", "Over 100 industrial"):
        assert text in content
    assert 'href="/parks/?type=sport"' in content


def test_article_page_shows_body_related_entities_and_related_news(seeded, client):
    response = client.get(f"/news/{MARCH_ARTICLE}/")
    content = response.content.decode()
    assert content.count("<p>") >= 7  # every paragraph of the body
    assert "3,79 billion rubles" in content
    assert f'href="/projects/{CENTER}/"' in content
    assert f'href="/clusters/{PHARMA}/"' in content
    assert f'href="/stakeholders/{FASO_SLUG}/"' in content
    # Whole seconds: HTML allows at most three digits of a fraction, Python's isoformat six.
    assert '<time datetime="2016-03-25T17:36:00+0600">' in content
    related = response.context["related_articles"]
    assert 1 <= len(related) <= 3 and all(a.slug != MARCH_ARTICLE for a in related)
    assert parse(response).meta["og:type"] == "article"


def test_links_both_ways_between_project_cluster_stakeholder(seeded, client):
    project = client.get(f"/projects/{CENTER}/").content.decode()
    assert f'href="/clusters/{PHARMA}/"' in project
    # The seeds give no roles: the link is shown without one.
    assert f'href="/stakeholders/{FASO_SLUG}/"' in project and 'class="role"' not in project
    assert f'href="/news/{MARCH_ARTICLE}/"' in project
    assert 'href="/news/feed/rss/?project=national-research-medical-center"' in project

    cluster = client.get(f"/clusters/{PHARMA}/").content.decode()
    assert f'href="/projects/{CENTER}/"' in cluster
    assert f'href="/news/{MARCH_ARTICLE}/"' in cluster
    assert 'type="application/rss+xml" title="News about' in cluster
    assert f"/news/feed/rss/?cluster={PHARMA}" in cluster

    stakeholder = client.get(f"/stakeholders/{FASO_SLUG}/").content.decode()
    assert f'href="/projects/{CENTER}/"' in stakeholder
    assert f'href="/news/{MARCH_ARTICLE}/"' in stakeholder


def test_cluster_page_lists_members_with_roles_and_parks(db, client):
    member = factories.stakeholder(name="Tomsk Polytechnic Test", is_published=True)
    hidden = factories.stakeholder(name="Hidden Member", is_published=False)
    cluster = factories.cluster(members=[(member, "coordinator"), (hidden, "member")])
    park = factories.park(name="Test Park")
    cluster.parks.add(park)
    content = client.get(cluster.get_absolute_url()).content.decode()
    assert "Tomsk Polytechnic Test" in content and "Coordinator" in content
    assert "Hidden Member" not in content
    assert f'href="{park.get_absolute_url()}"' in content
    park_page = client.get(park.get_absolute_url()).content.decode()
    assert f'href="{cluster.get_absolute_url()}"' in park_page


def test_every_link_on_seeded_pages_resolves(seeded, client):
    seen, broken = set(), []
    for url in PAGES:
        for href in parse(client.get(url)).hrefs:
            if not href.startswith("/") or href.startswith("/admin") or href in seen:
                continue
            seen.add(href)
            response = client.get(href)
            # The switchers of language and accessible version: remember, then redirect.
            if href.startswith(("/language/", "/accessible/")):
                response = (
                    client.get(response["Location"]) if response.status_code == 302 else response
                )
                client.cookies.pop("django_language", None)
                client.cookies.pop("a11y", None)
            if response.status_code != 200:
                broken.append((url, href, response.status_code))
    assert not broken
    assert len(seen) > 40


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
    from datetime import timedelta

    from django.utils import timezone

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
    from django.contrib.auth.models import Permission, User

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
    from django.db import DatabaseError

    from public import health as views

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
