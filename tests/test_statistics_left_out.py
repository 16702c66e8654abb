"""A statistics chart whose values are all "not stated" is left out of the page, and one
sentence names what was left out and why (public/statistics.py)."""

import re
from decimal import Decimal

import pytest

from . import factories

pytestmark = pytest.mark.django_db

SUMS = ["budget-by-cluster", "budget-by-direction", "jobs-by-cluster", "jobs-by-direction"]


def sections(html):
    return re.findall(r'<section class="statistic" id="([a-z-]+)"', html)


def test_charts_nobody_states_are_left_out_in_one_sentence(client):
    factories.project(name="No figures stated")
    html = client.get("/statistics/").content.decode()
    shown = sections(html)
    assert not set(SUMS) & set(shown)
    assert "projects-by-cluster" in shown and "stakeholders-by-kind" in shown
    # Not in the table of contents either; one sentence instead of four empty charts.
    assert not any(f'href="#{slug}"' in html for slug in SUMS)
    assert html.count("left out, as no matching published project states") == 1
    assert (
        "4 charts are left out, as no matching published project states their values: "
        "Budget by cluster, RUB; Budget by direction, RUB; Jobs created by cluster; "
        "Jobs created by direction." in html
    )
    assert "No matching published project states a budget." not in html
    # Their downloads still answer.
    assert client.get("/statistics/budget-by-cluster.csv").status_code == 200


def test_a_stated_value_brings_its_charts_back(client):
    factories.project(name="With a budget", budget=Decimal("1000"))
    html = client.get("/statistics/").content.decode()
    shown = sections(html)
    assert "budget-by-cluster" in shown and "budget-by-direction" in shown
    assert "jobs-by-cluster" not in shown
    assert (
        "2 charts are left out, as no matching published project states their values: "
        "Jobs created by cluster; Jobs created by direction." in html
    )
    # A filter that leaves only projects without a budget leaves the budget out again.
    factories.project(name="Planned, no budget", status="planned")
    filtered = client.get("/statistics/?status=planned").content.decode()
    assert "budget-by-cluster" not in sections(filtered)


def test_the_sentence_in_russian(client):
    factories.project(name="No figures stated", jobs_created=3)
    html = client.get("/ru/statistics/").content.decode()
    assert "jobs-by-cluster" in sections(html) and "budget-by-cluster" not in sections(html)
    assert (
        "2 диаграммы не показаны — Бюджет по кластерам, руб.; Бюджет по направлениям, руб.: "
        "ни в одном подходящем опубликованном проекте не указаны их значения." in html
    )
