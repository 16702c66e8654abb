"""Query counts of the event pages, the seeded event, and the content version's end."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from events.models import Event
from public.caching import current_version, end_content_version
from public.events import EventListView

from .. import factories
from .helpers import TOMSK, event

pytestmark = pytest.mark.django_db


# Query counts ---------------------------------------------------------------------------------


def count_queries(client, url):
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def build(n, tag):
    with translation.override("en"):
        cluster = factories.cluster(slug=f"c{tag}")
        person = factories.stakeholder(slug=f"s{tag}")
        project = factories.project(slug=f"p{tag}")
        article = factories.article(slug=f"a{tag}")
        for i in range(n):
            for start in (
                timezone.now() + timedelta(days=i + 1),
                timezone.now() - timedelta(days=i + 1),
            ):
                obj = event(start=start)
                obj.clusters.add(cluster)
                obj.stakeholders.add(person)
                obj.projects.add(project)
                obj.articles.add(article)
        return obj, cluster, person, project, article


def urls(obj, cluster, person, project, article):
    with translation.override("en"):
        return [
            "/events/",
            f"/events/?cluster={cluster.slug}&stakeholder={person.slug}&project={project.slug}"
            f"&year={obj.start.astimezone(TOMSK).year}&q=Event",
            "/events/?page=2",
            obj.get_absolute_url(),
            obj.get_calendar_url(),
            "/events/calendar.ics",
            f"/events/calendar.ics?cluster={cluster.slug}",
            cluster.get_absolute_url(),
            project.get_absolute_url(),
            person.get_absolute_url(),
            article.get_absolute_url(),
            "/",
            "/sitemap-events.xml",
            "/ru/events/",
            f"/ru/events/{obj.slug}/",
            f"/ru/events/calendar.ics?cluster={cluster.slug}",
        ]


@pytest.mark.usefixtures("no_page_cache")
def test_query_counts_are_small_and_flat(client, monkeypatch):
    monkeypatch.setattr(EventListView, "paginate_by", 5)
    small = {url: count_queries(client, url) for url in urls(*build(6, 1))}
    large = {url: count_queries(client, url) for url in urls(*build(30, 2))}
    for (url, few), many in zip(small.items(), large.values(), strict=True):
        assert few <= 12, (url, few)
        assert many == few, (url, few, many)


# The seed event -------------------------------------------------------------------------------


def test_seed_carries_the_forum_of_university_cities_once(client):
    call_command("seed", verbosity=0)
    call_command("seed", verbosity=0)
    forum = Event.objects.get()
    assert forum.slug == "ii-international-forum-of-university-cities"
    assert forum.title.replace("\xa0", " ").startswith(
        "II International Forum of University Cities"
    )
    # "will take place in Tomsk on November 30th through December 2nd" (an article of
    # 14 September 2017): whole days, no hours stated.
    assert forum.all_day and forum.time_zone == "Asia/Tomsk"
    assert forum.local_start == datetime(2017, 11, 30, tzinfo=TOMSK)
    assert forum.local_end.date() == date(2017, 12, 2)
    assert forum.place == "Tomsk" and forum.status == Event.Status.PUBLISHED
    assert [a.slug for a in forum.articles.all()] == [
        "ii-forum-of-university-cities-to-take-place-in-tomsk"
    ]
    assert sorted(s.slug for s in forum.stakeholders.all()) == [
        "national-research-tomsk-state-university",
        "tomsk-regional-administration",
    ]
    assert not forum.title_ru and not forum.url  # the seeds give neither
    text = client.get(forum.get_absolute_url()).content.decode()
    assert "30 November 2017" in text and "2 December 2017" in text
    assert re.search(r"\bTomsk\b", text)


def test_the_content_version_ends_when_the_next_event_does():
    """Kept pages and lists change by themselves when an event moves to the past."""

    now = timezone.now()
    soon = event(start=now + timedelta(hours=1), end=now + timedelta(hours=2))
    event(start=now + timedelta(minutes=5), end=now + timedelta(minutes=30), status="draft")
    event(start=now - timedelta(days=2), end=now - timedelta(days=1))
    end_content_version()
    assert current_version().ends_at == soon.end
    # A scheduled article that comes sooner ends it first.
    article = factories.article(published_at=now + timedelta(minutes=10))
    end_content_version()
    assert current_version().ends_at == article.published_at
