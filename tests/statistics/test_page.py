"""Bad input refused, the Russian page, navigation and sitemap, and a small, flat query
count."""

from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from .. import factories
from .helpers import read_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/statistics/?cluster=nope", 400),
        ("/statistics/?status=bogus&direction=d1", 400),
        ("/statistics/?park=no-such-park", 400),
        ("/statistics/?cluster=%00", 400),
        ("/statistics/projects-by-cluster.csv?cluster=nope", 400),
        ("/statistics/projects-by-cluster.svg?status=bogus", 400),
        ("/statistics/projects-by-cluster.json?year=%00", 400),
        ("/statistics/no-such-chart.csv", 404),
        ("/statistics/projects-by-cluster.xlsx", 404),
        ("/statistics/projects-by-cluster", 404),
        ("/ru/statistics/no-such-chart.svg", 404),
    ],
)
def test_bad_input_is_refused(client, directory, url, status):
    response = client.get(url)
    assert response.status_code == status, url
    if url.startswith("/statistics/?") and "%00" not in url:
        assert "filter was not applied" in response.content.decode()


def test_russian_page_and_downloads(client, directory):
    response = client.get("/ru/statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "Проекты по кластерам" in html
    assert "Кластер не указан" in html
    assert "не указан" in html
    assert "1 500 000,5" in html.replace("\xa0", " ").replace("\u202f", " ")
    assert 'href="/ru/statistics/projects-by-status.csv"' in html
    rows = read_csv(client.get("/ru/statistics/projects-by-status.csv"))
    assert rows[0] == ["status", "name", "projects"]  # the columns keep their names
    assert rows[1] == ["planned", "Планируется", "2"]
    svg = client.get("/ru/statistics/projects-by-status.svg").content.decode()
    assert "Планируется" in svg


def test_page_is_in_the_navigation_and_the_sitemap(client, directory):
    html = client.get("/").content.decode()
    assert 'href="/statistics/"' in html
    assert 'aria-current="page">Statistics<' in client.get("/statistics/").content.decode()
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert "/statistics/</loc>" in sitemap and "/ru/statistics/</loc>" in sitemap


def build(n, tag):
    """n projects with everything linked, in a cluster and direction of their own."""
    with translation.override("en"):
        cluster = factories.cluster(slug=f"c{tag}")
        direction = factories.direction(slug=f"d{tag}")
        park = factories.park()
        for i in range(n):
            person = factories.stakeholder(kind="university")
            project = factories.project(
                direction=direction,
                stakeholders=[(person, "lead")],
                budget=Decimal(1000 + i),
                jobs_created=i,
            )
            project.parks.add(park)
            cluster.projects.add(project)
            factories.article().projects.add(project)
        return [
            "/statistics/",
            f"/statistics/?cluster=c{tag}&direction=d{tag}&park={park.slug}"
            f"&stakeholder={person.slug}&status=planned&q=Project",
            f"/ru/statistics/?cluster=c{tag}",
        ]


def count_queries(client, url):
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.usefixtures("no_page_cache")
def test_query_count_is_small_and_flat(client):
    small = {url: count_queries(client, url) for url in build(2, 1)}
    large = {url: count_queries(client, url) for url in build(30, 2)}
    for (url, few), many in zip(small.items(), large.values(), strict=True):
        assert few <= 12, (url, few)
        assert many == few, (url, few, many)
    # What the page read is kept for the content version: images and downloads of the same
    # filters read nothing more.
    url = "/statistics/?cluster=c2"
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
        assert client.get("/statistics/jobs-by-cluster.svg?cluster=c2").status_code == 200
        response = client.get("/statistics/jobs-by-cluster.csv?cluster=c2")
        b"".join(response.streaming_content)
    assert len(context.captured_queries) == 0
