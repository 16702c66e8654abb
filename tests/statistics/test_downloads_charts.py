"""The statistics as CSV, JSON and chart images; an honest empty state."""

import json

import pytest

from .helpers import read_csv

pytestmark = pytest.mark.django_db


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
