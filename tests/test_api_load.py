"""The API under load: few queries, the same for 2 rows as for many; answers kept until content
changes, with ETags and 304; requests counted per client address, 429 past the limit."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from portal.models import KeyFact
from programme.models import RoadmapAction

from . import factories
from .test_queries import build

pytestmark = pytest.mark.django_db
BUDGET = 12


def api_urls(tag, cluster, person, project, park, article):
    return [
        "/api/v1/articles/",
        # The first project and person are linked to the first article, the park to the last.
        f"/api/v1/articles/?cluster=c{tag}&direction=d{tag}&project={project.slug}"
        f"&stakeholder={person.slug}&year={article.published_at.year}&q=Article",
        f"/api/v1/articles/?park={park.slug}&cluster=c{tag}",
        "/api/v1/articles/?lang=ru&translations=1",
        f"/api/v1/articles/{article.slug}/",
        "/api/v1/projects/",
        f"/api/v1/projects/?cluster=c{tag}&direction=d{tag}&stakeholder={person.slug}&q=Project",
        f"/api/v1/projects/{project.slug}/",
        "/api/v1/stakeholders/",
        f"/api/v1/stakeholders/?kind=university&cluster=c{tag}",
        f"/api/v1/stakeholders/{person.slug}/",
        "/api/v1/parks/",
        f"/api/v1/parks/?type=t{tag}",
        f"/api/v1/parks/{park.slug}/",
        "/api/v1/clusters/",
        f"/api/v1/clusters/{cluster.slug}/",
        "/api/v1/directions/",
        "/api/v1/park-types/",
        "/api/v1/key-figures/",
        "/api/v1/events/",
        f"/api/v1/events/?cluster=c{tag}",
        "/api/v1/roadmap-actions/",
        f"/api/v1/roadmap-actions/?stakeholder={person.slug}",
        "/api/v1/documents/",
    ]


def build_with_programme(n, tag):
    objects = build(n, tag)
    _tag, cluster, person, project, _park, article = objects
    start = timezone.now() + timedelta(days=1)
    for i in range(n):
        event = Event.objects.create(
            title=f"Event {tag}-{i}",
            slug=f"event-{tag}-{i}",
            start=start,
            end=start,
            status=Event.Status.PUBLISHED,
        )
        event.clusters.add(cluster)
        event.projects.add(project)
        event.stakeholders.add(person)
        event.articles.add(article)
        action = RoadmapAction.objects.create(number=tag * 1000 + i, title=f"Action {i}")
        action.stakeholders.add(person)
        KeyFact.objects.create(order=tag * 1000 + i, figure=f"{i} bln", text="A figure.")
    return objects


def count_queries(client, url):
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    data = response.json()
    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    if "/documents/" not in url:  # none is made: a document needs a file
        assert rows, url  # rows to read, so that their related rows are counted too
    return len(context.captured_queries)


def test_api_query_counts_are_small_and_flat(client):
    """A first answer after a content change (nothing kept) reads at most 12 queries, as many
    for 2 rows as for 20 (a page holds 20)."""
    small = {url: count_queries(client, url) for url in api_urls(*build_with_programme(2, 1))}
    large = {url: count_queries(client, url) for url in api_urls(*build_with_programme(20, 2))}
    for (url, few), many in zip(small.items(), large.values(), strict=True):
        assert few <= BUDGET, (url, few)
        assert many == few, (url, few, many)


def test_answers_are_kept_until_content_changes(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 600
    factories.article(slug="first")
    first = client.get("/api/v1/articles/?page_size=5")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get("/api/v1/articles/?page_size=5")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    # Another language, another answer.
    with django_assert_num_queries(0):
        client.get("/api/v1/articles/?page_size=5")
    assert client.get("/api/v1/articles/?page_size=5&lang=ru")["Content-Language"] == "ru"
    # Any content change shows at once.
    factories.article(slug="second")
    changed = client.get("/api/v1/articles/?page_size=5")
    assert b'"second"' in changed.content
    assert changed["ETag"] != first["ETag"]


def test_etags_and_304(client, settings):
    for seconds in (0, 600):  # rendered afresh, and kept
        settings.PAGE_CACHE_SECONDS = seconds
        factories.project(slug=f"project-{seconds}")
        response = client.get("/api/v1/projects/")
        etag = response["ETag"]
        assert etag.startswith('"') and etag.endswith('"')
        not_modified = client.get("/api/v1/projects/", HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304
        assert not_modified.content == b""
        assert client.get("/api/v1/projects/", HTTP_IF_NONE_MATCH='"other"').status_code == 200
        assert client.get("/api/v1/projects/project-0/").has_header("ETag")


def test_requests_are_throttled_per_client_address(settings):
    settings.API_THROTTLE_RATE = "3/min"
    settings.PAGE_CACHE_SECONDS = 600  # kept answers count too
    factories.direction()
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    for _ in range(3):
        assert first.get("/api/v1/directions/").status_code == 200
    refused = first.get("/api/v1/directions/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "throttled" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Any endpoint: the count is per address, not per address and URL.
    assert first.get("/api/v1/").status_code == 429
    # Another address has its own count; a forged X-Forwarded-For changes nothing.
    assert second.get("/api/v1/directions/").status_code == 200
    forged = first.get("/api/v1/directions/", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert forged.status_code == 429
    # The limit is a setting; none turns it off.
    settings.API_THROTTLE_RATE = None
    assert first.get("/api/v1/directions/").status_code == 200


def test_a_failing_cache_lets_requests_through(settings, monkeypatch):
    settings.API_THROTTLE_RATE = "3/min"
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", broken)
    client = Client(REMOTE_ADDR="192.0.2.9")
    for _ in range(5):
        assert client.get("/api/v1/directions/").status_code == 200
