"""The statistics page: its numbers are the directory's published data, filtered like the
project list, drawn as SVG images, downloadable as CSV and JSON; bad input is a 400."""

import csv
import io
import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from news.models import Article

from . import factories

pytestmark = pytest.mark.django_db


def tomsk(year, month=6):
    return datetime(year, month, 1, 12, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def directory():
    """Two published clusters and a draft one, two directions, published and draft projects
    with and without budgets, jobs, clusters and directions; stakeholders and articles."""
    with translation.override("en"):
        c1 = factories.cluster(slug="c1", name="=Formula cluster", order=1)
        c2 = factories.cluster(slug="c2", name="Second cluster", order=2)
        hidden = factories.cluster(slug="c3", name="Hidden cluster", is_published=False)
        d1 = factories.direction(slug="d1", name="Direction one", order=1)
        d2 = factories.direction(slug="d2", name="Direction two", order=2)
        uni = factories.stakeholder(kind="university")
        firm = factories.stakeholder(kind="company")
        factories.stakeholder(kind="university")  # in no project
        factories.stakeholder(kind="company", is_published=False)
        p1 = factories.project(
            direction=d1,
            status="in-progress",
            budget=Decimal("1500000.50"),
            jobs_created=10,
            stakeholders=[(uni, "lead")],
        )
        p2 = factories.project(
            direction=d2, status="planned", jobs_created=5, stakeholders=[(firm, "partner")]
        )
        p3 = factories.project(status="completed", budget=Decimal("50"))
        p4 = factories.project(status="planned")  # only in the draft cluster
        draft = factories.project(
            direction=d1,
            status="planned",
            budget=Decimal("999999"),
            jobs_created=999,
            is_published=False,
        )
        c1.projects.add(p1, p2, draft)
        c2.projects.add(p2)
        hidden.projects.add(p4)
        factories.article(published_at=tomsk(2021)).projects.add(p1)
        factories.article(published_at=tomsk(2023))
        factories.article(published_at=tomsk(2023, 9))
        factories.article(published_at=tomsk(2023), status=Article.Status.DRAFT)
        factories.article(published_at=timezone.now() + timedelta(days=3))  # scheduled
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4}


def tables(response):
    """{chart: [(key, label, value, stated, not stated)]} from the page's context."""
    return {
        item["slug"]: [
            (row.key, row.label, row.value, row.stated, row.not_stated)
            for row in item["table"].rows
        ]
        for item in response.context["tables"]
    }


def values(rows):
    return {key: value for key, _label, value, *_ in rows}


def test_numbers_are_the_published_directory(client, directory):
    response = client.get("/statistics/")
    assert response.status_code == 200
    charts = tables(response)
    # Drafts are left out; a project in two clusters counts in each; p3 has no cluster and
    # p4 is only in a draft cluster: both "no cluster stated", never shown under the draft.
    assert charts["projects-by-cluster"] == [
        ("c1", "=Formula cluster", 2, None, None),
        ("c2", "Second cluster", 1, None, None),
        (None, "No cluster stated", 2, None, None),
    ]
    assert values(charts["projects-by-direction"]) == {"d1": 1, "d2": 1, None: 2}
    assert values(charts["projects-by-status"]) == {
        "planned": 2,
        "in-progress": 1,
        "completed": 1,
    }
    # Sums over the projects that state a value; none stated is None, not zero.
    assert charts["budget-by-cluster"] == [
        ("c1", "=Formula cluster", Decimal("1500000.50"), 1, 1),
        ("c2", "Second cluster", None, 0, 1),
        (None, "No cluster stated", Decimal("50"), 1, 1),
    ]
    assert charts["jobs-by-direction"] == [
        ("d1", "Direction one", 10, 1, 0),
        ("d2", "Direction two", 5, 1, 0),
        (None, "No direction stated", None, 0, 2),
    ]
    assert values(charts["jobs-by-cluster"]) == {"c1": 15, "c2": 5, None: None}
    assert values(charts["stakeholders-by-kind"])["university"] == 2
    assert values(charts["stakeholders-by-kind"])["company"] == 1
    assert values(charts["stakeholders-by-kind"])["foundation"] == 0
    # Every year from the first to the last, the empty ones as zero; drafts and scheduled out.
    assert values(charts["articles-per-year"]) == {"2021": 1, "2022": 0, "2023": 2}

    html = response.content.decode()
    # Tables with captions and header cells; "not stated" shown as such.
    assert '<caption id="budget-by-cluster-caption">Budget by cluster, RUB</caption>' in html
    assert '<th scope="row">No cluster stated</th>' in html
    assert "not stated</span>" in html
    assert "1,500,000.5" in html
    assert "Hidden cluster" not in html
    # Every chart as an image with a text alternative, and its downloads.
    assert html.count('<img src="/statistics/') == 9
    assert 'alt="Bar chart: Projects by cluster.' in html
    assert 'href="/statistics/budget-by-direction.csv"' in html
    assert 'href="/statistics/budget-by-direction.json"' in html


def test_filters_change_the_numbers(client, directory):
    response = client.get("/statistics/?cluster=c2")
    assert response.status_code == 200
    charts = tables(response)
    assert values(charts["projects-by-cluster"]) == {"c1": 1, "c2": 1}
    assert values(charts["projects-by-status"]) == {"planned": 1, "in-progress": 0, "completed": 0}
    assert values(charts["jobs-by-cluster"]) == {"c1": 5, "c2": 5}
    # Stakeholders taking part in the matching projects, articles about them.
    assert values(charts["stakeholders-by-kind"])["company"] == 1
    assert values(charts["stakeholders-by-kind"])["university"] == 0
    assert charts["articles-per-year"] == []
    html = response.content.decode()
    assert "No published article matches." in html
    assert 'href="/statistics/projects-by-cluster.csv?cluster=c2"' in html
    assert 'src="/statistics/articles-per-year.svg' not in html

    charts = tables(client.get("/statistics/?status=in-progress&direction=d1"))
    assert values(charts["budget-by-direction"]) == {"d1": Decimal("1500000.50"), "d2": None}
    assert values(charts["articles-per-year"]) == {"2021": 1}
    assert values(charts["stakeholders-by-kind"])["university"] == 1


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_and_json_downloads(client, directory):
    response = client.get("/statistics/budget-by-cluster.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="inotomsk-statistics-budget-by-cluster.csv"'
    )
    assert read_csv(response) == [
        ["cluster", "name", "budget_rub", "projects_stating_budget", "projects_not_stating_budget"],
        ["c1", "'=Formula cluster", "1500000.50", "1", "1"],  # the formula neutralised
        ["c2", "Second cluster", "", "0", "1"],  # not stated: empty, not zero
        ["", "No cluster stated", "50.00", "1", "1"],
    ]

    response = client.get("/statistics/projects-by-status.json?cluster=c1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "projects-by-status.json" in response["Content-Disposition"]
    data = json.loads(b"".join(response.streaming_content))
    assert data["meta"]["filters"] == {"cluster": ["c1"]}
    assert data["meta"]["title"] == "Projects by status"
    assert data["rows"] == [
        {"status": "planned", "name": "Planned", "projects": 1},
        {"status": "in-progress", "name": "In progress", "projects": 1},
        {"status": "completed", "name": "Completed", "projects": 0},
    ]
    rows = read_csv(client.get("/statistics/articles-per-year.csv"))
    assert rows == [["year", "articles"], ["2021", "1"], ["2022", "0"], ["2023", "2"]]


def test_chart_images(client, directory):
    response = client.get("/statistics/projects-by-cluster.svg?direction=d2")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<script" not in svg and "kozea.github.io" not in svg
    assert "Second cluster" in svg and "No cluster stated" not in svg
    # The image may style itself but may run nothing and load nothing.
    policy = response["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "default-src 'none'" in policy
    assert "script-src" not in policy and "img-src" not in policy  # both 'none' by default
    # The page itself keeps the strict policy.
    page_policy = client.get("/statistics/")["Content-Security-Policy"]
    assert "unsafe-inline" not in page_policy
    # The same numbers give the same document (a stable ETag).
    again = client.get("/statistics/projects-by-cluster.svg?direction=d2").content
    assert again == response.content


def test_chart_images_keep_their_policy_when_revalidated(client, directory, settings):
    """A 304 carries the image's policy too (browsers merge its headers into their copy), and
    the page cache, whose copies Django's middleware would answer with the strict one, keeps
    no image."""
    settings.PAGE_CACHE_SECONDS = 600
    url = "/statistics/jobs-by-direction.svg?cluster=c1"
    first = client.get(url)
    assert first["Cache-Control"] == "no-cache" and first["ETag"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in again["Content-Security-Policy"]
    assert client.get(url).content == first.content


def test_empty_directory_gives_an_honest_empty_state(client, db):
    response = client.get("/statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<img" not in html.split("<main", 1)[1]
    assert "No published project matches." in html
    assert "No published article matches." in html
    # Charts of values no project states are left out, named in one sentence
    # (tests/test_statistics_left_out.py).
    assert 'id="budget-by-cluster"' not in html
    assert "4 charts are left out, as no matching published project states their values" in html
    # The downloads still answer, with the header alone or zero counts.
    assert read_csv(client.get("/statistics/articles-per-year.csv")) == [["year", "articles"]]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/statistics/?cluster=nope", 400),
        ("/statistics/?status=bogus&direction=d1", 400),
        ("/statistics/?park=no-such-park", 400),
        ("/statistics/?cluster=%00", 400),
        ("/statistics/projects-by-cluster.csv?cluster=nope", 400),
        ("/statistics/projects-by-cluster.svg?status=bogus", 400),
        ("/statistics/projects-by-cluster.json?year=%00", 400),
        ("/statistics/no-such-chart.csv", 404),
        ("/statistics/projects-by-cluster.xlsx", 404),
        ("/statistics/projects-by-cluster", 404),
        ("/ru/statistics/no-such-chart.svg", 404),
    ],
)
def test_bad_input_is_refused(client, directory, url, status):
    response = client.get(url)
    assert response.status_code == status, url
    if url.startswith("/statistics/?") and "%00" not in url:
        assert "filter was not applied" in response.content.decode()


def test_russian_page_and_downloads(client, directory):
    response = client.get("/ru/statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "Проекты по кластерам" in html
    assert "Кластер не указан" in html
    assert "не указан" in html
    assert "1 500 000,5" in html.replace("\xa0", " ").replace("\u202f", " ")
    assert 'href="/ru/statistics/projects-by-status.csv"' in html
    rows = read_csv(client.get("/ru/statistics/projects-by-status.csv"))
    assert rows[0] == ["status", "name", "projects"]  # the columns keep their names
    assert rows[1] == ["planned", "Планируется", "2"]
    svg = client.get("/ru/statistics/projects-by-status.svg").content.decode()
    assert "Планируется" in svg


def test_page_is_in_the_navigation_and_the_sitemap(client, directory):
    html = client.get("/").content.decode()
    assert 'href="/statistics/"' in html
    assert 'aria-current="page">Statistics<' in client.get("/statistics/").content.decode()
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert "/statistics/</loc>" in sitemap and "/ru/statistics/</loc>" in sitemap


def build(n, tag):
    """n projects with everything linked, in a cluster and direction of their own."""
    with translation.override("en"):
        cluster = factories.cluster(slug=f"c{tag}")
        direction = factories.direction(slug=f"d{tag}")
        park = factories.park()
        for i in range(n):
            person = factories.stakeholder(kind="university")
            project = factories.project(
                direction=direction,
                stakeholders=[(person, "lead")],
                budget=Decimal(1000 + i),
                jobs_created=i,
            )
            project.parks.add(park)
            cluster.projects.add(project)
            factories.article().projects.add(project)
        return [
            "/statistics/",
            f"/statistics/?cluster=c{tag}&direction=d{tag}&park={park.slug}"
            f"&stakeholder={person.slug}&status=planned&q=Project",
            f"/ru/statistics/?cluster=c{tag}",
        ]


def count_queries(client, url):
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.usefixtures("no_page_cache")
def test_query_count_is_small_and_flat(client):
    small = {url: count_queries(client, url) for url in build(2, 1)}
    large = {url: count_queries(client, url) for url in build(30, 2)}
    for (url, few), many in zip(small.items(), large.values(), strict=True):
        assert few <= 12, (url, few)
        assert many == few, (url, few, many)
    # What the page read is kept for the content version: images and downloads of the same
    # filters read nothing more.
    url = "/statistics/?cluster=c2"
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
        assert client.get("/statistics/jobs-by-cluster.svg?cluster=c2").status_code == 200
        response = client.get("/statistics/jobs-by-cluster.csv?cluster=c2")
        b"".join(response.streaming_content)
    assert len(context.captured_queries) == 0
