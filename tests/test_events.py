"""Events: the model's rules, the admin's roles, the public list and page, the calendar files
(parsed back with icalendar, checked against RFC 5545's line rules), search, sitemap, home page,
links from the other pages, query counts, bad input and the seed event."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from icalendar import Calendar
from reversion.models import Version

from cms.roles import EDITORS, PUBLISHERS
from events.models import Event
from public.events import EventListView

from . import factories

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
TOMSK = ZoneInfo("Asia/Tomsk")


event = factories.event


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


# The model ----------------------------------------------------------------------------------


def test_the_end_may_not_come_before_the_start():
    start = datetime(2027, 3, 1, 10, tzinfo=TOMSK)
    wrong = Event(title="Backwards", slug="backwards", start=start, end=start - timedelta(1))
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "end" in error.value.message_dict
    # The database holds the rule too, for writes that skip validation.
    with pytest.raises(IntegrityError), transaction.atomic():
        wrong.save()
    # A point in time (start == end) is allowed.
    Event(title="Instant", slug="instant", start=start, end=start).full_clean()


def test_time_zone_must_be_a_zone_name():
    start = timezone.now()
    bad = Event(title="T", slug="t", start=start, end=start, time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "time_zone" in error.value.message_dict
    assert Event(title="T", slug="t2", start=start, end=start).time_zone == "Asia/Tomsk"


def test_an_all_day_event_covers_whole_days_of_its_zone():
    # Entered as any time of the days, kept as 00:00 of the first to 23:59:59 of the last.
    obj = event(
        all_day=True,
        time_zone="Europe/Moscow",
        start=datetime(2027, 5, 3, 15, 30, tzinfo=MOSCOW),
        end=datetime(2027, 5, 4, 9, tzinfo=MOSCOW),
    )
    obj.refresh_from_db()
    assert obj.local_start == datetime(2027, 5, 3, 0, 0, tzinfo=MOSCOW)
    assert obj.local_end == datetime(2027, 5, 4, 23, 59, 59, tzinfo=MOSCOW)
    obj.save()  # the same however often it is saved
    obj.refresh_from_db()
    assert obj.local_start == datetime(2027, 5, 3, 0, 0, tzinfo=MOSCOW)


# The admin: the article's rules --------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("eve", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def publisher(django_user_model):
    user = django_user_model.objects.create_user("pat", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


def event_form(**overrides):
    data = {
        "title": "Cluster day",
        "slug": "cluster-day",
        "status": "draft",
        "start_0": "2027-04-10",
        "start_1": "10:00:00",
        "end_0": "2027-04-10",
        "end_1": "18:00:00",
        "time_zone": "Europe/Moscow",
        "place": "Moscow, Technopark",
        "description": "A **day** of talks.",
        "url": "https://example.org/register",
        "image_alt": "",
    }
    data.update(overrides)
    return data


ADD_URL = "/admin/events/event/add/"


def test_editor_drafts_and_cannot_publish(client, editor):
    client.force_login(editor)
    # Publishing by the form is refused, nothing stored.
    response = client.post(ADD_URL, event_form(status="published"))
    assert response.status_code == 200
    assert "Only publishers can publish" in response.content.decode()
    assert not Event.objects.exists()
    # A draft is stored, with its times read in the event's own zone, and a version.
    response = client.post(ADD_URL, event_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    obj = Event.objects.get()
    assert obj.status == Event.Status.DRAFT
    assert obj.start == datetime(2027, 4, 10, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    assert obj.end == datetime(2027, 4, 10, 15, 0, tzinfo=UTC)
    assert Version.objects.get_for_object(obj).count() == 1
    # The change form shows the times as typed, in the event's zone.
    page = client.get(f"/admin/events/event/{obj.pk}/change/").content.decode()
    assert 'value="10:00:00"' in page and 'value="18:00:00"' in page
    # Nor may an editor publish with the action.
    client.post(
        "/admin/events/event/",
        {"action": "publish_now", "_selected_action": [obj.pk], "index": "0"},
    )
    obj.refresh_from_db()
    assert obj.status == Event.Status.DRAFT
    # The end before the start is a form error.
    response = client.post(ADD_URL, event_form(slug="later", end_1="09:00:00"))
    assert "The end cannot be before the start." in response.content.decode()


def test_publisher_publishes_and_the_list_shows_start_and_state(client, publisher):
    client.force_login(publisher)
    obj = event(status=Event.Status.DRAFT, title="Forum of cities")
    response = client.post(
        "/admin/events/event/",
        {"action": "publish_now", "_selected_action": [obj.pk], "index": "0"},
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.status == Event.Status.PUBLISHED
    listing = client.get("/admin/events/event/?q=cities").content.decode()
    assert "Forum of cities" in listing
    assert obj.local_start.strftime("%Y-%m-%d %H:%M") in listing


# The public pages -------------------------------------------------------------------------


def test_list_upcoming_soonest_first_then_past_latest_first_across_pages(client, monkeypatch):
    monkeypatch.setattr(EventListView, "paginate_by", 3)
    now = timezone.now()
    for d in (30, 10, 20):
        event(start=now - timedelta(days=d), title=f"Past {d}")
    for d in (5, 1, 3):
        event(start=now + timedelta(days=d), title=f"Soon {d}")
    event(start=now - timedelta(hours=1), title="Under way")
    event(start=now + timedelta(days=2), status=Event.Status.DRAFT, title="Secret draft")
    titles = []
    for page in (1, 2, 3):
        response = client.get(f"/events/?page={page}")
        assert response.status_code == 200
        titles += [row.title for row in response.context["rows"]]
    assert titles == [
        "Under way",
        "Soon 1",
        "Soon 3",
        "Soon 5",
        "Past 10",
        "Past 20",
        "Past 30",
    ]
    second = client.get("/events/?page=2").content.decode()
    assert "Upcoming events" in second and "Past events" in second
    assert "Secret draft" not in client.get("/events/").content.decode()
    assert client.get("/events/?page=9").status_code == 404


def test_list_filters_like_the_news(client):
    cluster = factories.cluster(slug="nuclear")
    project = factories.project(slug="reactor")
    person = factories.stakeholder(slug="tsu")
    linked = event(title="Linked meeting", start=datetime(2027, 2, 1, 12, tzinfo=TOMSK))
    linked.clusters.add(cluster)
    linked.projects.add(project)
    linked.stakeholders.add(person)
    event(title="Other meeting", start=datetime(2028, 2, 1, 12, tzinfo=TOMSK))
    for query in ("cluster=nuclear", "project=reactor", "stakeholder=tsu", "year=2027", "q=linked"):
        response = client.get(f"/events/?{query}")
        assert response.status_code == 200, query
        assert [row.title for row in response.context["rows"]] == ["Linked meeting"], query
    page = client.get("/events/?cluster=nuclear").content.decode()
    # The calendar feed of the same filters is offered.
    assert 'href="/events/calendar.ics?cluster=nuclear"' in page


@pytest.mark.parametrize(
    "query",
    ["cluster=nope", "project=nope", "stakeholder=nope", "year=abc", "year=²⁰²⁷", "year=99999"],
)
def test_bad_filters_answer_400_with_a_note_on_list_and_feed(client, query):
    event()
    response = client.get(f"/events/?{query}")
    assert response.status_code == 400
    assert "filter was not applied" in response.content.decode()
    assert client.get(f"/events/calendar.ics?{query}").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/events/?q=%00",
        "/events/calendar.ics?cluster=%00",
        "/events/no-such-event/",
        "/events/no-such-event/calendar.ics",
        "/events/bad%20slug/calendar.ics",
        "/events/calendar.ics/extra",
        "/events/?page=abc",
        "/events/?q=" + "x" * 300,
    ],
)
def test_malformed_requests_are_never_a_server_error(client, url):
    event()
    status = client.get(url).status_code
    assert 400 <= status < 500, (url, status)


def test_event_page_shows_its_time_in_its_zone_and_its_links(client):
    cluster = factories.cluster(name="Nuclear cluster")
    article = factories.article(title="The forum is coming")
    hidden = factories.project(name="Hidden project", is_published=False)
    obj = event(
        title="Forum <b>of</b> cities",
        time_zone="Europe/Moscow",
        start=datetime(2027, 6, 1, 10, 0, tzinfo=MOSCOW),
        end=datetime(2027, 6, 1, 18, 30, tzinfo=MOSCOW),
        place="Moscow, Hall 1",
        description="Talks and **panels**.\n\n<script>alert(1)</script>",
        url="https://example.org/forum",
    )
    obj.clusters.add(cluster)
    obj.articles.add(article)
    obj.projects.add(hidden)
    page = client.get(obj.get_absolute_url()).content.decode()
    assert "Forum &lt;b&gt;of&lt;/b&gt; cities" in page
    assert "1 June 2027, 10:00" in page and "18:30" in page
    assert "Europe/Moscow time, UTC+03:00" in page
    assert 'datetime="2027-06-01T10:00:00+03:00"' in page
    assert "<strong>panels</strong>" in page and "<script>alert" not in page
    assert 'href="https://example.org/forum"' in page
    assert cluster.get_absolute_url() in page and article.get_absolute_url() in page
    assert "Hidden project" not in page
    assert f'href="{obj.get_calendar_url()}"' in page
    # In Russian too, the interface words translated.
    russian = client.get(f"/ru/events/{obj.slug}/").content.decode()
    assert "1 июня 2027 г., 10:00" in russian and "Где" in russian


def test_linked_pages_list_their_published_events(client):
    cluster = factories.cluster()
    project = factories.project()
    person = factories.stakeholder()
    article = factories.article()
    shown = event(title="Public meeting")
    draft = event(title="Draft meeting", status=Event.Status.DRAFT)
    for obj in (shown, draft):
        obj.clusters.add(cluster)
        obj.projects.add(project)
        obj.stakeholders.add(person)
        obj.articles.add(article)
    for page in (cluster, project, person, article):
        html = client.get(page.get_absolute_url()).content.decode()
        assert "Public meeting" in html, page
        assert "Draft meeting" not in html, page
    html = client.get(cluster.get_absolute_url()).content.decode()
    assert f'href="/events/calendar.ics?cluster={cluster.slug}"' in html
    # Nothing linked, no section.
    assert (
        'id="rel-events"' not in client.get(factories.cluster().get_absolute_url()).content.decode()
    )


def test_drafts_are_never_public_but_staff_preview_them(client, superuser):
    draft = event(title="Unannounced summit", slug="secret-summit", status=Event.Status.DRAFT)
    for url in (draft.get_absolute_url(), draft.get_calendar_url()):
        assert client.get(url).status_code == 404
    for url in (
        "/events/",
        "/events/calendar.ics",
        "/search/?q=summit",
        "/sitemap-events.xml",
        "/",
    ):
        assert "secret-summit" not in client.get(url).content.decode(), url
    admin_client = Client()
    admin_client.force_login(superuser)
    preview = admin_client.get(draft.get_absolute_url())
    assert preview.status_code == 200 and preview["Cache-Control"] == "private, no-store"
    # The calendar file is for published events only, whoever asks.
    assert admin_client.get(draft.get_calendar_url()).status_code == 404


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
    from public.caching import current_version, end_content_version

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
