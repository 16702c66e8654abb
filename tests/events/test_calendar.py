"""The calendar files of an event and of a cluster; events in search, sitemap and home."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from events.models import Event

from .. import factories
from .helpers import MOSCOW, TOMSK, event

pytestmark = pytest.mark.django_db


def parse_calendar(response):
    """The calendar of a response, after checking the RFC 5545 line rules: CRLF line ends and
    no content line longer than 75 octets (longer ones folded)."""
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert lines, raw
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines), [line for line in lines if len(line) > 75]
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    return Calendar.from_ical(raw)


def entries(cal):
    return list(cal.walk("VEVENT"))


# The calendar files -----------------------------------------------------------------------


def test_event_calendar_file(client):
    obj = event(
        title="Forum; of, cities\\ and a long title that must be folded over several lines of text",
        time_zone="Europe/Moscow",
        start=datetime(2027, 6, 1, 10, 0, tzinfo=MOSCOW),
        end=datetime(2027, 6, 2, 18, 0, tzinfo=MOSCOW),
        place="Moscow, Hall 1; entrance B",
        description="Day one: **talks**.\n\nDay two: panels, [more](https://example.org).",
        url="https://example.org/register",
    )
    response = client.get(obj.get_calendar_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{obj.slug}.ics"'
    cal = parse_calendar(response)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    [entry] = entries(cal)
    assert str(entry["UID"]) == f"inotomsk-event-{obj.pk}"
    assert entry.decoded("DTSTAMP") == obj.updated_at.replace(microsecond=0)
    assert entry.decoded("DTSTART") == datetime(2027, 6, 1, 7, 0, tzinfo=UTC)
    assert entry.decoded("DTEND") == datetime(2027, 6, 2, 15, 0, tzinfo=UTC)
    assert str(entry["SUMMARY"]) == obj.title  # escaped and unescaped by the library
    assert str(entry["LOCATION"]) == "Moscow, Hall 1; entrance B"
    description = str(entry["DESCRIPTION"])
    assert description.startswith("Day one: talks.\n\nDay two: panels, more.")
    assert "https://example.org/register" in description and "**" not in description
    assert str(entry["URL"]) == f"http://testserver{obj.get_absolute_url()}"
    # The escaping is RFC 5545's: commas and semicolons backslashed in the raw text.
    assert b"Moscow\\, Hall 1\\; entrance B" in response.content
    # The UID is stable: the same after an edit, even of the slug.
    obj.slug = "renamed"
    obj.save()
    [again] = entries(parse_calendar(client.get(obj.get_calendar_url())))
    assert str(again["UID"]) == f"inotomsk-event-{obj.pk}"


def test_all_day_event_has_dates_with_an_exclusive_end(client):
    obj = event(
        all_day=True,
        start=datetime(2027, 11, 30, tzinfo=TOMSK),
        end=datetime(2027, 12, 2, tzinfo=TOMSK),
    )
    [entry] = entries(parse_calendar(client.get(obj.get_calendar_url())))
    assert entry.decoded("DTSTART") == date(2027, 11, 30)
    assert entry.decoded("DTEND") == date(2027, 12, 3)
    assert b"DTSTART;VALUE=DATE:20271130" in client.get(obj.get_calendar_url()).content


def test_calendar_feed_lists_upcoming_published_events_per_cluster(client):
    cluster = factories.cluster(slug="timber")
    now = timezone.now()
    event(title="Soon", start=now + timedelta(days=2))
    later = event(title="Later", start=now + timedelta(days=9))
    event(title="Gone", start=now - timedelta(days=9))
    event(title="Draft", start=now + timedelta(days=1), status=Event.Status.DRAFT)
    later.clusters.add(cluster)
    cal = parse_calendar(client.get("/events/calendar.ics"))
    assert [str(e["SUMMARY"]) for e in entries(cal)] == ["Soon", "Later"]
    assert len({str(e["UID"]) for e in entries(cal)}) == 2
    by_cluster = parse_calendar(client.get("/events/calendar.ics?cluster=timber"))
    assert [str(e["SUMMARY"]) for e in entries(by_cluster)] == ["Later"]
    assert str(by_cluster["X-WR-CALNAME"]) == f"INO Tomsk events: {cluster.name}"
    # An empty calendar is still a valid one.
    empty = parse_calendar(client.get("/events/calendar.ics?year=2001"))
    assert entries(empty) == []


def test_russian_pages_and_calendars(client):
    obj = event(title="Forum", title_ru="Форум", place="Tomsk", place_ru="Томск")
    page = client.get("/ru/events/").content.decode()
    assert "Форум" in page and "Предстоящие события" in page
    [entry] = entries(parse_calendar(client.get(f"/ru/events/{obj.slug}/calendar.ics")))
    assert str(entry["SUMMARY"]) == "Форум" and str(entry["LOCATION"]) == "Томск"
    assert str(entry["URL"]).endswith(f"/ru/events/{obj.slug}/")


# Search, sitemap, home ----------------------------------------------------------------------


def test_search_sitemap_and_home(client):
    obj = event(title="Hackathon of universities", start=timezone.now() + timedelta(days=3))
    found = client.get("/search/?q=hackathon").content.decode()
    assert obj.get_absolute_url() in found
    # With its time, as the event's page gives it.
    assert f'datetime="{obj.local_start.isoformat()}"' in found
    sitemap = client.get("/sitemap-events.xml").content.decode()
    assert f"http://testserver{obj.get_absolute_url()}" in sitemap
    assert f"http://testserver/ru/events/{obj.slug}/" in sitemap
    assert "http://testserver/events/" in client.get("/sitemap-pages.xml").content.decode()
    home = client.get("/").content.decode()
    assert "Upcoming events" in home and obj.get_absolute_url() in home
    # Once it is over, the home page has no such section at all.
    obj.start, obj.end = timezone.now() - timedelta(days=2), timezone.now() - timedelta(days=1)
    obj.save()
    home = client.get("/").content.decode()
    assert "Upcoming events" not in home and 'id="events-heading"' not in home
