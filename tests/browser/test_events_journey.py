"""A visitor's way to an event in a real browser: the home page's upcoming events, the events
list, a cluster filter, the event page, and its calendar file, on a desktop and on a phone."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from .conftest import CLUSTER, PHONE
from .test_journeys import assert_no_horizontal_scrolling, heading, plain

pytestmark = pytest.mark.django_db(transaction=True)

CLUSTER_NAME = "Pharmaceutical cluster and cluster of medical equipment and IT"
FORUM = "II International Forum of University Cities"
TOMSK = ZoneInfo("Asia/Tomsk")


@pytest.fixture
def upcoming(site):
    """Two upcoming events beside the seed's (past) forum: one of the cluster, one not."""
    from clusters.models import Cluster
    from events.models import Event

    day = (timezone.now() + timedelta(days=30)).astimezone(TOMSK).date()
    start = datetime(day.year, day.month, day.day, 10, 0, tzinfo=TOMSK)
    linked = Event.objects.create(
        title="Medical equipment day",
        slug="medical-equipment-day",
        start=start,
        end=start + timedelta(hours=8),
        place="Tomsk, Lenin Avenue 36",
        description="Talks, a fair and **meetings** with the cluster's companies.",
        url="https://example.org/medical-equipment-day",
        status=Event.Status.PUBLISHED,
    )
    linked.clusters.add(Cluster.objects.get(slug=CLUSTER))
    Event.objects.create(
        title="Timber industry meeting",
        slug="timber-industry-meeting",
        start=start + timedelta(days=3),
        end=start + timedelta(days=3, hours=2),
        status=Event.Status.PUBLISHED,
    )
    return linked


def visit_events(tab, event, phone=False):
    page = tab.page
    tab.goto("/")
    upcoming = page.get_by_role("region", name="Upcoming events")
    assert upcoming.get_by_role("link", name=event.title).is_visible()
    upcoming.get_by_role("link", name="All events").click()
    page.wait_for_url(tab.url("/events/"))
    assert heading(page) == "Events"
    page.get_by_text("3 results").wait_for()
    # Upcoming first, the soonest first; then the past.
    titles = [plain(t) for t in page.locator(".event-row .card-title a").all_inner_texts()]
    assert titles[:2] == [event.title, "Timber industry meeting"]
    assert titles[2].startswith(FORUM)
    assert page.get_by_role("heading", name="Past events").is_visible()
    if phone:
        assert_no_horizontal_scrolling(page)
        page.locator("summary", has_text="Filters (0)").tap()

    filters = page.get_by_role("form", name="Filter")
    filters.get_by_role("group", name="Cluster").get_by_role(
        "checkbox", name=re.compile(re.escape(CLUSTER_NAME))
    ).click()
    page.wait_for_url(re.compile(rf"/events/\?(.*&)?cluster={CLUSTER}"))
    page.get_by_text("1 result").wait_for()
    assert [plain(t) for t in page.locator(".event-row .card-title a").all_inner_texts()] == [
        event.title
    ]
    if phone:
        assert_no_horizontal_scrolling(page)

    page.get_by_role("link", name=event.title).click()
    page.wait_for_url(tab.url(f"/events/{event.slug}/"))
    assert heading(page) == event.title
    when = plain(page.locator(".event-facts dd").first.inner_text())
    local = event.start.astimezone(TOMSK)
    assert when.startswith(f"{local.day} {local:%B %Y}, 10:00 – 18:00")
    assert "(Asia/Tomsk time, UTC+07:00)" in when
    assert page.get_by_role("link", name=event.url).is_visible()
    assert page.get_by_role("region", name="Clusters").get_by_role("link", name=CLUSTER_NAME)
    if phone:
        assert_no_horizontal_scrolling(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    saved = download.value
    assert saved.suggested_filename == f"{event.slug}.ics"
    raw = Path(saved.path()).read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    [entry] = Calendar.from_ical(raw).walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title
    assert str(entry["LOCATION"]) == event.place
    assert entry.decoded("DTSTART") == event.start.astimezone(UTC)
    assert str(entry["URL"]) == tab.url(f"/events/{event.slug}/")
    assert tab.problems == []


def test_visitor_finds_an_event_and_takes_it_to_a_calendar(site, upcoming, open_tab):
    visit_events(open_tab(), upcoming)


def test_the_same_on_a_phone(site, upcoming, open_tab):
    visit_events(open_tab(PHONE), upcoming, phone=True)
