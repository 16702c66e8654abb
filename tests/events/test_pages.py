"""The public list and event pages: order, filters, bad input, times in the event's zone,
links, drafts."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event
from public.events import EventListView

from .. import factories
from .helpers import MOSCOW, TOMSK, event

pytestmark = pytest.mark.django_db


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
