"""The statistics page's numbers are the published directory's, and filters change them."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


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
