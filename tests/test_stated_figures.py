"""The statistics page compares the programme's stated figures with the directory's counts, in
a table that says what each count counts (home and about show the figures as stated only)."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from public.indicators import stated_and_counted

from . import factories

pytestmark = pytest.mark.django_db


class TableRows(HTMLParser):
    """The header and rows of the table inside ``#stated-figures``, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.inside, self.rows, self.cell = False, [], None

    def handle_starttag(self, tag, attrs):
        if dict(attrs).get("id") == "stated-figures":
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th") and self.rows:
            self.cell = []

    def handle_endtag(self, tag):
        if self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(" ".join(self.cell).split()))
            self.cell = None
        elif self.inside and tag == "section":
            self.inside = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(html):
    parser = TableRows()
    parser.feed(html)
    return parser.rows


def test_the_table_says_what_each_count_counts(seeded, client):
    html = client.get("/statistics/").content.decode()
    header, *rows = table(html)
    assert header == [
        "Key figure",
        "Stated by the programme",
        "What the directory counts",
        "Count in the directory",
    ]
    assert ["projects implemented", "over 100", "Published projects", "4"] in rows
    assert ["actions in the roadmap", "65", "Published roadmap actions", "0"] in rows
    assert [
        "Tomsk universities",
        "6",
        "Universities in Tomsk among the stakeholders",
        "1",
    ] in rows
    # Only the figures the directory can count; the goal and the investment gap are not.
    assert len(rows) == 7
    assert not any("investment gap" in row[0] for row in rows)
    # Each row links to its figure on the about page; the page's table of contents to it.
    assert 'href="/about/#figure-10"' in html and 'href="#stated-figures"' in html
    assert "may be incomplete" in html


def test_the_table_in_russian(seeded, client):
    html = client.get("/ru/statistics/").content.decode()
    header, *rows = table(html)
    assert header == [
        "Ключевой показатель",
        "Заявлено программой",
        "Что считает каталог",
        "Число в каталоге",
    ]
    assert [(row[1], row[3]) for row in rows if row[2] == "опубликованные проекты"] == [
        ("более 100", "4")
    ]
    assert len(rows) == 7


def test_the_counts_follow_the_directory(seeded, client):
    def projects_row():
        rows = table(client.get("/statistics/").content.decode())
        return next(row for row in rows if row[0] == "projects implemented")

    assert projects_row()[3] == "4"
    factories.project(name="A new project")
    assert projects_row()[3] == "5"
    # Filters narrow the charts, not this table; the page says so.
    html = client.get("/statistics/?status=planned").content.decode()
    assert "whole directory, whatever the filters" in html
    assert next(row for row in table(html) if row[0] == "projects implemented")[3] == "5"


def test_the_comparison_is_read_once_per_content_version(seeded):
    with CaptureQueriesContext(connection) as context:
        first = stated_and_counted()
    # The version's start, the figures, their further figures, the counts.
    assert len(context.captured_queries) <= 4
    with CaptureQueriesContext(connection) as context:
        assert stated_and_counted() == first
    assert not context.captured_queries


def test_no_table_without_countable_figures(client):
    factories.project()
    html = client.get("/statistics/").content.decode()
    assert 'id="stated-figures"' not in html and not re.search(r"#stated-figures", html)
