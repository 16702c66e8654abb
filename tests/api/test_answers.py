"""The answers' shape: cursor pages, both languages, times with their offset, the later
lists, nulls the schema states, kept answers ended by unpublishing."""

import gzip
import json
from datetime import datetime, timedelta
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from api.docs import SchemaView
from clusters.models import Cluster
from events.models import Event
from news.models import Article
from portal.models import Project, Stakeholder
from programme.models import RoadmapAction

from .. import factories
from .helpers import API, get, slugs

pytestmark = pytest.mark.django_db


def walk(client, url):
    """Every row of a cursor-paginated list, following "next"; the pages seen."""
    rows, pages = [], 0
    while url:
        data = get(client, url)
        rows += data["results"]
        pages += 1
        url = data["next"]
    return rows, pages


def test_cursor_pages_walk_every_row_once_in_a_stable_order(client, directory):
    for n in range(9):
        factories.project(slug=f"p-{n}", name=f"Project {n % 3}")  # names repeat
    expected = sorted(Project.objects.published().values_list("name", "slug"))
    rows, pages = walk(client, f"{API}/projects/?page_size=2")
    assert [row["slug"] for row in rows] == [slug for _name, slug in expected]
    assert pages == 6
    # Back from the last page with "previous".
    data = get(client, f"{API}/projects/?page_size=4")
    second = get(client, data["next"])
    back = get(client, second["previous"])
    assert slugs(back) == slugs(data)
    # The cursor keeps the filters and the page size.
    query = parse_qs(urlsplit(data["next"]).query)
    assert query["page_size"] == ["4"]


def test_article_cursor_follows_publication_times_even_when_equal(client, directory):
    moment = timezone.now() - timedelta(days=3)
    for n in range(5):
        factories.article(slug=f"same-time-{n}", published_at=moment)
    rows, _pages = walk(client, f"{API}/articles/?page_size=2")
    got = [row["slug"] for row in rows]
    expected = list(
        Article.objects.published().order_by("-published_at", "-id").values_list("slug", flat=True)
    )
    assert got == expected
    # A row published meanwhile does not shift the next page (a cursor, not an offset) where
    # the page ends at a time of its own; within one time DRF's cursor counts rows.
    first = get(client, f"{API}/articles/?page_size=6")
    factories.article(slug="breaking", published_at=timezone.now())
    assert slugs(get(client, first["next"])) == expected[6:12]


def test_languages_and_translations_side_by_side(client, directory):
    english = get(client, f"{API}/stakeholders/tsu/")
    assert english["name"] == "Tomsk State University"
    russian = client.get(f"{API}/stakeholders/tsu/?lang=ru")
    assert russian["Content-Language"] == "ru"
    data = russian.json()
    assert data["name"] == "ТГУ"
    assert data["web_url"] == "http://testserver/ru/stakeholders/tsu/"
    assert data["kind_label"] == "Университет"
    # A text missing in Russian is given in English, as the pages show it.
    project = get(client, f"{API}/projects/hydrogen/?lang=ru")
    assert project["name"] == "Hydrogen"
    both = get(client, f"{API}/projects/hydrogen/?translations=1")
    assert both["name_en"] == "Hydrogen"
    assert both["name_ru"] is None
    assert both["description_en"] is None  # empty in both
    article = get(client, f"{API}/articles/?lang=ru&translations=true")["results"][0]
    assert (article["title"], article["title_en"], article["title_ru"]) == (
        "Новости",
        "Cluster news",
        "Новости",
    )
    # The filters read the page language too: Russian words find the Russian title.
    assert slugs(get(client, f"{API}/articles/?lang=ru&q=Новости")) == ["news-in-cluster"]


def test_times_are_iso_8601_with_their_offset(client, directory):
    row = get(client, f"{API}/articles/old-news/")
    published = datetime.fromisoformat(row["published_at"])
    assert published.utcoffset() is not None
    assert published == directory["old"].published_at
    assert row["published_at"].endswith("+07:00")  # Tomsk time
    factories.project(slug="dated", start_date="2020-01-31", end_date="2021-06-30")
    assert get(client, f"{API}/projects/dated/")["start_date"] == "2020-01-31"


def test_events_roadmap_and_documents(client, directory):
    start = timezone.now() + timedelta(days=10)
    event = Event.objects.create(
        title="Forum",
        slug="forum",
        start=start,
        end=start + timedelta(hours=3),
        status=Event.Status.PUBLISHED,
        url="https://example.org/register",
    )
    event.clusters.add(directory["cluster"])
    event.articles.add(directory["news"])
    Event.objects.create(
        title="Draft", slug="draft-event", start=start, end=start, status=Event.Status.DRAFT
    )
    events = get(client, f"{API}/events/")
    assert slugs(events) == ["forum"]
    forum = get(client, f"{API}/events/forum/")
    assert forum["registration_url"] == "https://example.org/register"
    assert forum["calendar_url"] == "http://testserver/events/forum/calendar.ics"
    assert forum["articles"] == ["http://testserver/api/v1/articles/news-in-cluster/"]
    assert datetime.fromisoformat(forum["start"]) == event.start
    assert slugs(get(client, f"{API}/events/?cluster=smart-city")) == ["forum"]
    assert slugs(get(client, f"{API}/events/?year=1999")) == []
    get(client, f"{API}/events/draft-event/", status=404)

    action = RoadmapAction.objects.create(
        number=7, title="Build the campus", direction=directory["direction"], status="planned"
    )
    action.stakeholders.add(directory["tsu"])
    RoadmapAction.objects.create(number=8, title="Hidden", is_published=False)
    assert slugs(get(client, f"{API}/roadmap-actions/")) == [7]
    row = get(client, f"{API}/roadmap-actions/7/")
    assert row["stakeholders"] == ["http://testserver/api/v1/stakeholders/tsu/"]
    assert row["direction"] == "http://testserver/api/v1/directions/energy/"
    assert slugs(get(client, f"{API}/roadmap-actions/?status=done")) == []
    get(client, f"{API}/roadmap-actions/8/", status=404)
    get(client, f"{API}/roadmap-actions/?status=bogus", status=400)
    assert get(client, f"{API}/documents/") == []


def test_what_is_not_stated_is_null_and_the_schema_says_so(client, directory):
    """A role, address, text or kind staff left empty is null, never "" (which the schema's
    enums and "uri" format refused: the seed data's unnamed roles and events without a
    registration address)."""
    project, tsu = directory["project"], directory["tsu"]
    project.roles.filter(stakeholder=tsu).update(role="")
    Stakeholder.objects.filter(pk=tsu.pk).update(kind="", website="", city="")
    factories.event(slug="open-day", url="", place="")
    row = get(client, f"{API}/projects/hydrogen/")
    assert row["stakeholders"] == [
        {"stakeholder": "http://testserver/api/v1/stakeholders/tsu/", "role": None}
    ]
    stakeholder = get(client, f"{API}/stakeholders/tsu/")
    assert stakeholder["kind"] is stakeholder["kind_label"] is None
    assert stakeholder["website"] is stakeholder["city"] is None
    assert stakeholder["projects"][0]["role"] is None
    event = get(client, f"{API}/events/open-day/")
    assert event["registration_url"] is event["place"] is None
    assert get(client, f"{API}/projects/hydrogen/?lang=ru")["stakeholders"][0]["role"] is None

    schemas = client.get(f"{API}/schema/?format=json").json()["components"]["schemas"]
    role = schemas["StakeholderRole"]["properties"]["role"]
    assert role["nullable"] is True
    assert schemas["EventList"]["properties"]["registration_url"]["nullable"] is True
    assert schemas["StakeholderList"]["properties"]["kind_label"]["nullable"] is True
    assert "BlankEnum" not in schemas  # no empty string among the choices any more


def test_unpublishing_hides_at_once_even_from_kept_answers(client, settings, directory):
    settings.PAGE_CACHE_SECONDS = 600
    assert "tsu" in slugs(get(client, f"{API}/stakeholders/"))
    Stakeholder.objects.filter(slug="tsu").update(is_published=False)  # no signal
    # A save (signals end the content version) shows at once.
    cluster = Cluster.objects.get(slug="smart-city")
    cluster.save()
    assert "tsu" not in slugs(get(client, f"{API}/stakeholders/"))


def test_a_kept_answer_is_sent_compressed_to_clients_that_accept_gzip(
    client, settings, directory, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 600
    url = f"{API}/stakeholders/?lang=ru"
    plain = client.get(url)
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    with django_assert_num_queries(0):
        compressed = client.get(url, headers=browser)
        again = client.get(url)
    assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
    assert json.loads(gzip.decompress(compressed.content)) == plain.json()
    assert compressed["ETag"] == f"W/{plain['ETag']}" and compressed["Content-Language"] == "ru"
    assert not again.has_header("Content-Encoding") and again.content == plain.content
    # Served before django-csp's middleware runs, with the same policy headers all the same.
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options"):
        assert compressed[header] == again[header] == plain[header], header
    # With the cache off nothing is kept, nor compressed here: nginx compresses the answer.
    settings.PAGE_CACHE_SECONDS = 0
    assert not client.get(url, headers=browser).has_header("Content-Encoding")


def test_schema_is_generated_once_per_language(client):

    SchemaView.kept.clear()
    with mock.patch.object(
        SchemaGenerator, "get_schema", autospec=True, side_effect=SchemaGenerator.get_schema
    ) as generate:
        first = client.get(f"{API}/schema/?format=json")
        again = client.get(f"{API}/schema/?format=json")
        yaml = client.get(f"{API}/schema/")
    assert generate.call_count == 1
    assert first.status_code == again.status_code == yaml.status_code == 200
    assert first.json() == again.json()
    assert first.json()["paths"]["/api/v1/articles/"]["get"]["parameters"]
    assert b"openapi: 3.0.3" in yaml.content
    assert first["Content-Disposition"].endswith('.json"')
    assert yaml["Content-Disposition"].endswith('.yaml"')
