"""Downloads of the directory and news lists: the page's filtered rows in CSV and JSON, both
languages, capped, flat in queries, refused as the page refuses."""

import json

import pytest
from django.utils import translation

from portal.models import Project

from .. import factories
from ..test_queries import build
from .helpers import body, count_download_queries, read_csv, read_json

pytestmark = pytest.mark.django_db


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
