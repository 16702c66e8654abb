"""Each public page makes at most 12 queries, the same number for 2 rows as for many."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from . import factories

pytestmark = pytest.mark.django_db
BUDGET = 12


def build(n, tag):
    """n of everything, all linked, so every list and detail has n rows to show (texts in
    English: a request to /ru/ leaves Russian active in the thread)."""
    with translation.override("en"):
        return _build(n, tag)


def _build(n, tag):
    cluster = factories.cluster(slug=f"c{tag}")
    direction = factories.direction(slug=f"d{tag}")
    park_type = factories.park_type(slug=f"t{tag}")
    people, projects = [], []
    for _ in range(n):
        person = factories.stakeholder(kind="university")
        cluster.memberships.create(stakeholder=person, role="member")
        park = factories.park(park_type=park_type)
        cluster.parks.add(park)
        project = factories.project(
            direction=direction, stakeholders=[(person, "lead")], is_featured=True
        )
        project.parks.add(park)
        cluster.projects.add(project)
        article = factories.article()
        article.clusters.add(cluster)
        article.directions.add(direction)
        article.projects.add(project)
        article.stakeholders.add(person)
        article.parks.add(park)
        people.append(person)
        projects.append(project)
    return tag, cluster, people[0], projects[0], park, article


def page_urls(*objects):
    # English addresses: a request to /ru/ leaves Russian active, and reverse() follows it.
    with translation.override("en"):
        return _page_urls(*objects)


def _page_urls(tag, cluster, person, project, park, article):
    return [
        "/",
        "/about/",
        "/news/",
        f"/news/?cluster=c{tag}&direction=d{tag}&project={project.slug}"
        f"&stakeholder={person.slug}&year={article.published_at.astimezone().year}&q=Article",
        article.get_absolute_url(),
        "/projects/",
        f"/projects/?cluster=c{tag}&direction=d{tag}&park={park.slug}"
        f"&stakeholder={person.slug}&status=planned&q=Project",
        project.get_absolute_url(),
        "/clusters/",
        cluster.get_absolute_url(),
        "/stakeholders/",
        f"/stakeholders/?kind=university&cluster=c{tag}&q=Stakeholder",
        person.get_absolute_url(),
        "/parks/",
        f"/parks/?type=t{tag}&cluster=c{tag}",
        park.get_absolute_url(),
        "/search/?q=Article",
        f"/news/feed/rss/?cluster=c{tag}",
        "/news/feed/atom/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        # The Russian pages keep the same budget.
        "/ru/",
        f"/ru/news/?cluster=c{tag}&translated=1",
        f"/ru/news/{article.slug}/",
        f"/ru/projects/?cluster=c{tag}&q=Project",
        "/ru/search/?q=Article",
        f"/ru/news/feed/rss/?cluster=c{tag}",
    ]


def count_queries(client, url):
    """Queries of a first render after a content change: nothing is kept yet."""
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.usefixtures("no_page_cache")
def test_query_counts_are_small_and_flat(client):
    small = build(2, 1)
    small_counts = {url: count_queries(client, url) for url in page_urls(*small)}
    large = build(25, 2)
    large_counts = {url: count_queries(client, url) for url in page_urls(*large)}
    for (url, few), many in zip(small_counts.items(), large_counts.values(), strict=True):
        assert few <= BUDGET, (url, few)
        assert many == few, (url, few, many)


@pytest.mark.usefixtures("no_page_cache")
def test_exact_counts_of_main_pages(client):
    objects = build(3, 1)
    # Every page also reads the menu and footer pages (public/sitepages.py), kept for the
    # content version: one query, plus the start of a content version where the page itself
    # keeps nothing (home, about, clusters).
    expected = {
        # Key facts, directions, the latest news, clusters, featured projects, upcoming events.
        "/": 6 + 2,
        "/about/": 3 + 2,
        # Option lists, the facets (cluster, direction and year in one query; project,
        # stakeholder, park), the count, the page's keys, its rows, and the start of a content
        # version. On PostgreSQL the facets and the count are read from the kept counts
        # (news.facet_counts): small facets with the count, each large facet, the scheduled
        # articles to take off.
        "/news/": 9 + 1,
        # The count, the rows, their directions.
        "/clusters/": 3 + 2,
    }
    counts = {url: count_queries(client, url) for url in expected}
    assert counts == expected
    # List pages keep what they read for the content version (count, keys, facets, checked
    # filters); rendering them again reads only the rows of the page, whatever the filters.
    for url in ("/news/", "/news/?cluster=c1&year=2020&page=1", "/projects/"):
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        assert len(context.captured_queries) <= 1, url
    # The article, what it links to (the five kinds in one query), related news, its events,
    # the site pages and the start of a content version.
    assert count_queries(client, objects[5].get_absolute_url()) == 4 + 2


@pytest.mark.usefixtures("no_page_cache")
def test_filters_on_a_field_of_the_row_need_no_distinct(client):
    build(3, 1)
    for url in ("/projects/?status=in-progress", "/stakeholders/?kind=university"):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        assert not [q for q in context.captured_queries if "DISTINCT" in q["sql"]], url
