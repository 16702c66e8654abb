"""Every public page renders the seed content with one h1, a unique title and its head
tags; the links between entries go both ways and all resolve."""

from html.parser import HTMLParser

import pytest

from .. import factories
from .helpers import CENTER, FASO_SLUG, MARCH_ARTICLE, PAGES, PHARMA

pytestmark = pytest.mark.django_db


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
