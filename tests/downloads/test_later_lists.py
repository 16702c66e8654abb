"""Downloads of the later lists: events in calendar order, roadmap actions by number."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events.models import Event
from programme.models import RoadmapAction

from .. import factories
from .helpers import count_download_queries, read_csv, read_json

pytestmark = pytest.mark.django_db


def make_event(**kwargs):

    n = factories._n()
    start = kwargs.pop("start", timezone.now() + timedelta(days=n))
    defaults = {
        "title": f"Event {n}",
        "slug": f"event-{n}",
        "start": start,
        "end": start + timedelta(hours=3),
        "status": Event.Status.PUBLISHED,
    }
    return Event.objects.create(**{**defaults, **kwargs})


def test_events_in_calendar_order_with_times_in_their_own_zone(client):

    cluster = factories.cluster(name="Smart city", slug="smart-city")
    soon = make_event(title="Soon", start=timezone.now() + timedelta(days=1))
    later = make_event(
        title="Later",
        start=datetime(2099, 4, 10, 7, tzinfo=UTC),
        time_zone="Europe/Moscow",
        url="https://example.org/register",
    )
    make_event(title="Past", start=timezone.now() - timedelta(days=30))
    make_event(title="Draft", status="draft")
    soon.clusters.add(cluster)

    rows = read_json(client.get("/events/", {"format": "json"}))["rows"]

    assert [row["title"] for row in rows] == ["Soon", "Later", "Past"]
    assert rows[0]["clusters"] == ["Smart city"]
    assert rows[1]["start"] == "2099-04-10T10:00:00+03:00"
    assert rows[1]["registration_url"] == "https://example.org/register"
    assert rows[1]["url"] == f"http://testserver/events/{later.slug}/"
    csv_rows = read_csv(client.get("/events/", {"format": "csv", "cluster": "smart-city"}))
    assert [row["title"] for row in csv_rows] == ["Soon"]
    assert csv_rows[0]["all_day"] == "false"


def test_roadmap_actions_by_number(client):

    lead = factories.stakeholder(name="Tomsk region administration", slug="region")
    second = RoadmapAction.objects.create(number=2, title="Second", status="in-progress")
    second.stakeholders.add(lead)
    RoadmapAction.objects.create(number=1, title="=First", status="planned")
    RoadmapAction.objects.create(number=3, title="Hidden", is_published=False)

    rows = read_csv(client.get("/roadmap/", {"format": "csv"}))

    assert [(row["number"], row["title"]) for row in rows] == [("1", "'=First"), ("2", "Second")]
    assert rows[1]["stakeholders"] == "Tomsk region administration"
    assert rows[1]["status_name"] == "In progress"
    assert rows[1]["url"] == "http://testserver/roadmap/#action-2"
    filtered = read_json(client.get("/roadmap/", {"format": "json", "status": "planned"}))
    assert [row["number"] for row in filtered["rows"]] == [1]


@pytest.mark.parametrize("path", ["/events/", "/roadmap/"])
def test_later_lists_are_flat_in_queries_too(client, path):

    def build(n, offset):
        cluster = factories.cluster()
        person = factories.stakeholder()
        for i in range(n):
            event = make_event()
            event.clusters.add(cluster)
            event.stakeholders.add(person)
            action = RoadmapAction.objects.create(number=offset + i, title=f"A {offset + i}")
            action.stakeholders.add(person)

    build(2, 1)
    few = count_download_queries(client, f"{path}?format=csv")
    build(30, 100)
    assert count_download_queries(client, f"{path}?format=csv") == few <= 12
