"""Downloads of every list: the page's filtered rows, all of its pages, as CSV and JSON."""

import csv
import io
import json
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal.models import Project

from . import factories

pytestmark = pytest.mark.django_db


def body(response):
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(response):
    text = body(response)
    assert text.startswith("\ufeff"), "spreadsheet software needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def read_json(response):
    return json.loads(body(response))


def test_csv_has_the_filtered_rows_of_every_page_with_escaped_formulas(client):
    direction = factories.direction(slug="energy", name="Energy")
    lead = factories.stakeholder(name="Tomsk Polytechnic University", slug="tpu")
    wanted = [
        factories.project(name=f"Reactor {n:02}", status="in-progress", direction=direction)
        for n in range(15)  # more than one page (12)
    ]
    factories.project(name="Finished", status="completed", direction=direction)
    factories.project(name="Hidden draft", status="in-progress", is_published=False)
    tricky = factories.project(
        name='=HYPERLINK("http://evil")',
        summary="+1 and -1 @home",
        status="in-progress",
        stakeholders=[(lead, "lead")],
    )
    factories.project(name="-2", status="in-progress")

    response = client.get("/projects/", {"status": "in-progress", "page": "2", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="inotomsk-projects-en.csv"'
    assert response["X-Download-Rows"] == "17"
    assert "X-Download-Capped" not in response
    rows = read_csv(response)
    names = [row["name"] for row in rows]
    # The list's order and filter, every page (the page number is ignored), no drafts.
    assert names == sorted(names)
    assert len(rows) == 17
    assert {project.name for project in wanted} <= set(names)
    assert "Finished" not in names and "Hidden draft" not in names
    # Cells that a spreadsheet would run as a formula are escaped.
    assert '\'=HYPERLINK("http://evil")' in names
    assert "'-2" in names
    row = next(row for row in rows if row["slug"] == tricky.slug)
    assert row["summary"] == "'+1 and -1 @home"
    assert row["stakeholders"] == "Tomsk Polytechnic University"
    assert row["stakeholder_slugs"] == "tpu"
    assert row["url"] == f"http://testserver/projects/{tricky.slug}/"
    assert row["status"] == "in-progress" and row["status_name"] == "In progress"
    reactor = next(row for row in rows if row["name"] == "Reactor 00")
    assert reactor["direction"] == "Energy" and reactor["direction_slug"] == "energy"


def test_russian_download_has_russian_texts_and_addresses(client):
    with translation.override("ru"):
        cluster = factories.cluster(name="Кластер ядерной медицины", slug="nuclear")
    with translation.override("en"):
        cluster.name_en = "Nuclear medicine cluster"
        cluster.save()
    person = factories.stakeholder(
        name_en="Tomsk State University", name_ru="Томский государственный университет"
    )
    cluster.memberships.create(stakeholder=person, role="member")
    factories.stakeholder(name_en="Only English Ltd", kind="company")

    rows = read_csv(client.get("/ru/stakeholders/", {"format": "csv", "kind": "university"}))

    assert [row["name"] for row in rows] == ["Томский государственный университет"]
    assert rows[0]["clusters"] == "Кластер ядерной медицины"
    assert rows[0]["cluster_slugs"] == "nuclear"
    assert rows[0]["kind_name"] == "Университет"
    assert rows[0]["url"].startswith("http://testserver/ru/stakeholders/")

    data = read_json(client.get("/ru/stakeholders/", {"format": "json"}))
    assert data["meta"]["language"] == "ru"
    # A text missing in Russian is given in the other language, as the page shows it.
    assert {row["name"] for row in data["rows"]} == {
        "Томский государственный университет",
        "Only English Ltd",
    }


def test_json_news_lists_linked_entries_and_describes_itself(client):
    cluster = factories.cluster(name="Smart city", slug="smart-city")
    park = factories.park(name="Technopark", slug="technopark")
    article = factories.article(title="Park opens", lead="A lead.")
    article.clusters.add(cluster)
    article.parks.add(park)
    factories.article(title="Other news")
    factories.article(title="Draft news", status="draft")

    response = client.get("/news/", {"cluster": "smart-city", "format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="inotomsk-news-en.json"'
    data = read_json(response)
    assert [row["title"] for row in data["rows"]] == ["Park opens"]
    row = data["rows"][0]
    assert row["clusters"] == ["Smart city"] and row["cluster_slugs"] == ["smart-city"]
    assert row["parks"] == ["Technopark"] and row["projects"] == []
    assert row["url"] == "http://testserver/news/" + article.slug + "/"
    assert row["published_at"].startswith(str(article.published_at.year))
    assert "+07:00" in row["published_at"]  # ISO 8601 with the offset (Tomsk time)
    meta = data["meta"]
    assert meta["dataset"] == "inotomsk-news"
    assert meta["filters"] == {"cluster": ["smart-city"]}
    assert meta["source"] == "http://testserver/news/?cluster=smart-city"
    assert meta["licence"]["code"] == "CC-BY-4.0"
    assert meta["rows"] == 1 and meta["capped"] is False


def test_a_download_over_the_limit_is_capped_and_says_so(client, settings):
    settings.DOWNLOAD_MAX_ROWS = 3
    for n in range(5):
        factories.park(name=f"Park {n}")

    response = client.get("/parks/", {"format": "json"})
    data = read_json(response)
    assert [row["name"] for row in data["rows"]] == ["Park 0", "Park 1", "Park 2"]
    assert data["meta"]["capped"] is True and data["meta"]["row_limit"] == 3
    assert "first 3 rows" in response["X-Download-Capped"]

    response = client.get("/parks/", {"format": "csv"})
    assert len(read_csv(response)) == 3
    assert response["X-Download-Capped"]

    page = client.get("/parks/").content.decode()
    assert "A download holds the first 3 of these 5 rows" in page


def test_the_list_page_links_its_downloads_with_its_filters(client):
    factories.project(status="planned")
    page = client.get("/projects/", {"status": "planned", "page": "1"}).content.decode()
    assert 'href="?format=csv&amp;status=planned"' in page
    assert 'href="?format=json&amp;status=planned"' in page
    assert 'href="/open-data/"' in page


@pytest.mark.parametrize("fmt", ["xml", "", "CSV", "csv\x00"])
def test_unknown_format_is_a_bad_request(client, fmt):
    factories.project()
    response = client.get("/projects/", {"format": fmt})
    assert response.status_code == 400
    assert not response.streaming


def test_bad_filters_are_refused_as_on_the_page(client):
    factories.project()
    response = client.get("/projects/", {"format": "json", "status": "nonsense"})
    assert response.status_code == 400
    assert list(json.loads(response.content)["errors"]) == ["status"]

    response = client.get("/projects/", {"format": "csv", "status": "nonsense"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "status" in response.content.decode()
    # The page answers the same values with a 400 too.
    assert client.get("/projects/", {"status": "nonsense"}).status_code == 400


def count_download_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        body(response)
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/news/?format=csv",
        "/news/?format=json&q=paragraph",
        "/projects/?format=json",
        "/stakeholders/?format=csv",
        "/parks/?format=csv",
    ],
)
def test_query_count_is_flat_in_row_count(client, url):
    from .test_queries import build

    build(3, "a")
    few = count_download_queries(client, url)
    build(40, "b")
    many = count_download_queries(client, url)
    assert many == few
    assert few <= 12


def test_page_cache_keeps_pages_and_downloads_apart(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    factories.project(name="Cached project")

    page = client.get("/projects/")
    assert page["Content-Type"].startswith("text/html")
    download = client.get("/projects/?format=csv")
    assert download["Content-Type"].startswith("text/csv")
    assert "Cached project" in body(download)
    again = client.get("/projects/")  # the page still, served from the cache
    assert again["Content-Type"].startswith("text/html")
    assert not again.streaming
    json_download = client.get("/projects/?format=json")
    assert json_download["Content-Type"].startswith("application/json")


def test_rows_match_the_page_for_a_search(client):
    for n in range(3):
        factories.project(name=f"Sensor {n}", summary="Tomsk sensors")
    factories.project(name="Unrelated", summary="Nothing here")
    rows = read_json(client.get("/projects/", {"q": "sensors", "format": "json"}))["rows"]
    page = client.get("/projects/", {"q": "sensors"}).content.decode()
    assert {row["name"] for row in rows} == {"Sensor 0", "Sensor 1", "Sensor 2"}
    for row in rows:
        assert row["name"] in page
    assert Project.objects.count() == 4


def make_event(**kwargs):
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event

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
    from datetime import UTC, datetime, timedelta

    from django.utils import timezone

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
    from programme.models import RoadmapAction

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
    from programme.models import RoadmapAction

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


# Kept downloads and the limit per client (public/kept_downloads.py)


@pytest.fixture
def keeping(settings, tmp_path):
    """Downloads kept as they are in production: the page cache on, files in a temp folder."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.DOWNLOAD_CACHE_DIR = tmp_path / "downloads"
    return settings.DOWNLOAD_CACHE_DIR


def kept_files(folder):
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def raw(response):
    assert response.streaming
    return b"".join(response.streaming_content)


def test_a_download_is_built_once_then_served_from_its_file(
    client, keeping, django_assert_num_queries
):
    from django.http import FileResponse

    for n in range(3):
        factories.park(name=f"Park {n}")
    first = client.get("/parks/", {"format": "csv"})
    assert not isinstance(first, FileResponse)  # built, streamed as its rows are read
    built = raw(first)
    assert len(kept_files(keeping)) == 1
    with django_assert_num_queries(0):
        again = client.get("/parks/", {"format": "csv", "utm_source": "mail", "page": "2"})
        assert isinstance(again, FileResponse)  # the file: no rows read, no memory held
        assert raw(again) == built
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["X-Download-Rows"] == "3"
    assert int(again["Content-Length"]) == len(built)
    # Another format or filter is another file; a content change builds afresh.
    assert not isinstance(client.get("/parks/", {"format": "json"}), FileResponse)
    factories.park(name="Park new")
    fresh = client.get("/parks/", {"format": "csv"})
    assert not isinstance(fresh, FileResponse)
    assert b"Park new" in raw(fresh)


def test_a_download_cut_short_keeps_nothing(client, keeping, monkeypatch):
    from django.http import FileResponse

    from public import downloads

    monkeypatch.setattr(downloads, "PIECE_SIZE", 10)  # a piece per row
    for n in range(5):
        factories.park(name=f"Park {n}")
    response = client.get("/parks/", {"format": "csv"})
    pieces = iter(response.streaming_content)
    next(pieces)
    # The visitor went away: the server closes the response (the test's transaction stays).
    with mock.patch.object(connection, "close_if_unusable_or_obsolete"):
        response.close()
    assert kept_files(keeping) == []
    assert not isinstance(client.get("/parks/", {"format": "csv"}), FileResponse)


def test_a_first_search_download_is_not_kept(client, keeping):
    from django.http import FileResponse

    factories.project(name="Sensor", summary="Tomsk sensors")
    raw(client.get("/projects/", {"q": "sensors", "format": "csv"}))
    assert kept_files(keeping) == []  # random words fill no folder
    raw(client.get("/projects/", {"q": "sensors", "format": "csv"}))  # asked again: kept
    assert isinstance(client.get("/projects/", {"q": "sensors", "format": "csv"}), FileResponse)


def test_old_versions_and_the_oldest_beyond_the_cap_are_deleted(keeping, settings):
    import os
    import time

    from public import kept_downloads
    from public.caching import current_version

    keeping.mkdir()
    version = current_version().id
    long_ago = time.time() - kept_downloads.STALE_SECONDS - 60
    files = {
        "other-old": ("0ther-aaaa", long_ago),
        "other-recent": ("0ther-bbbb", time.time()),
        "mine-old": (f"{version}-cccc", long_ago - 60),
        "mine-new": (f"{version}-dddd", time.time()),
    }
    for name, mtime in files.values():
        (keeping / name).write_bytes(b"x" * 100)
        os.utime(keeping / name, (mtime, mtime))
    settings.DOWNLOAD_CACHE_MAX_BYTES = 250
    kept_downloads.prune()
    # A stale file of another version goes; then the oldest until 250 bytes remain.
    assert sorted(path.name for path in keeping.iterdir()) == sorted(
        [files["other-recent"][0], files["mine-new"][0]]
    )


def test_downloads_are_limited_per_client(client, keeping, settings):
    settings.DOWNLOAD_THROTTLE_RATE = "2/min"
    factories.park(name="Park")
    for fmt in ("csv", "json"):
        assert client.get("/parks/", {"format": fmt}).status_code == 200
    for fmt, content_type in (("csv", "text/plain"), ("json", "application/json")):
        refused = client.get("/parks/", {"format": fmt})
        assert refused.status_code == 429
        assert refused["Content-Type"].startswith(content_type)
        assert 1 <= int(refused["Retry-After"]) <= 60
        assert "Too many downloads" in refused.content.decode()
    # The pages stay open, and another client may download.
    assert client.get("/parks/").status_code == 200
    other = client.get("/parks/", {"format": "csv"}, REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 200
    ru = client.get("/ru/parks/", {"format": "csv"})
    assert ru.status_code == 429 and "Слишком много" in ru.content.decode()
