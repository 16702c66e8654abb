"""Key figures as indicators: stored fields of the ten seed items, the directory's live counts
(one query for all), and how home and about show them in both languages."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal.models import KeyFact, KeyFactPart, Stakeholder
from public.indicators import COUNTED, live_counts, with_live_counts

from . import factories

pytestmark = pytest.mark.django_db
SOURCE = "INO Tomsk in figures"

# order: label, value, over, unit, kind, target year, live count — from each item's wording.
EXPECTED = {
    1: ("The goal", None, False, "", "", None, ""),
    2: ("directions", Decimal(5), False, "", "count", None, "directions"),
    3: ("investment gap", Decimal(250), False, "RUB bln", "fact", None, ""),
    4: ("federal ministries", Decimal(12), False, "", "count", None, "federal-ministries"),
    5: (
        "federal instruments and initiatives synchronized",
        Decimal(50),
        True,
        "",
        "count",
        None,
        "",
    ),
    6: ("actions in the roadmap", Decimal(65), False, "", "count", None, "roadmap-actions"),
    7: ("types of areas developed", Decimal(6), False, "", "count", None, "park-types"),
    8: ("innovation territorial clusters", Decimal(6), False, "", "count", None, "clusters"),
    9: (
        "highly-efficient workplaces to be created",
        Decimal(160),
        False,
        "thousand",
        "target",
        2020,
        "",
    ),
    10: ("projects implemented", Decimal(100), True, "", "count", None, "projects"),
}
EXPECTED_PARTS = {
    3: [("confirmed extra-budgetary resources", Decimal(65), "%", "")],
    4: [
        ("Tomsk universities", Decimal(6), "", "tomsk-universities"),
        ("national corporations", Decimal(5), "", ""),
        ("small and medium innovation companies and manufacturing plants", Decimal(400), "", ""),
    ],
}


def test_the_ten_items_as_indicators(seeded):
    facts = {fact.order: fact for fact in KeyFact.objects.prefetch_related("parts")}
    assert set(facts) == set(EXPECTED)
    for order, (label, value, over, unit, kind, year, live) in EXPECTED.items():
        fact = facts[order]
        stored = (fact.label, fact.value, fact.value_is_minimum, fact.unit, fact.kind)
        assert stored == (label, value, over, unit, kind), order
        assert (fact.target_year, fact.live_count) == (year, live), order
        # The seeds date none of them, and name no address for the figures.
        assert fact.as_of is None and fact.source_url == "", order
        assert (fact.source_title_en, fact.source_title_ru) == (SOURCE, "ИНО Томск в цифрах"), order
        parts = [(p.label, p.value, p.unit, p.live_count) for p in fact.parts.all()]
        assert parts == EXPECTED_PARTS.get(order, []), order
        # Every number shown is in the item's own words ("160 thousands", "Over 100").
        words = fact.text.lower()
        if value is not None:
            assert f"{value.normalize():f}" in words or order == 2, order
        assert not over or "over" in words
        for part_label, part_value, _unit, _live in parts:
            assert part_label.lower() in words and f"{part_value.normalize():f}" in words
    # Only the jobs target has a year, the one its sentence gives.
    assert "before 2020" in facts[9].text
    # The second item names its five directions: its value counts them.
    assert facts[2].text.count("«") == 5


def test_target_year_only_on_a_target_and_source_address_checked(db):
    fact = KeyFact(order=50, figure="7", text="Seven things.", kind="count", target_year=2030)
    with pytest.raises(ValidationError) as error:
        fact.full_clean()
    assert "Only a target has a target year." in str(error.value)
    for address, ok in [
        ("/news/some-article/", True),
        ("https://example.org/report.pdf", True),
        ("//evil.example/", False),
        ("javascript:alert(1)", False),
    ]:
        fact = KeyFact(order=51, figure="7", text="Seven.", source_url=address)
        if ok:
            fact.full_clean()
        else:
            with pytest.raises(ValidationError):
                fact.full_clean()


def test_every_count_the_model_offers_is_counted():
    assert set(COUNTED) == set(KeyFact.LiveCount.values)


def test_live_counts_follow_the_published_directory_in_one_query(db):
    KeyFact.objects.create(order=1, figure="x", text="x")
    university = factories.stakeholder(kind="university", city="Tomsk")
    factories.stakeholder(kind="university", city="Heidelberg")
    factories.stakeholder(kind="university", city="Tomsk", is_published=False)
    factories.stakeholder(kind="federal-ministry")
    factories.stakeholder(kind="", city="Tomsk")  # kind not stated: not counted as a university
    factories.project()
    factories.project()
    factories.project(is_published=False)
    factories.cluster()
    factories.cluster(is_published=False)
    factories.direction()
    factories.park_type()
    factories.park_type()
    with CaptureQueriesContext(connection) as context:
        counts = live_counts(KeyFact.LiveCount.values)
    assert len(context.captured_queries) == 1
    assert counts == {
        "projects": 2,
        "clusters": 1,
        "directions": 1,
        "park-types": 2,
        "federal-ministries": 1,
        "tomsk-universities": 1,
        "roadmap-actions": 0,
    }
    # Written in Russian only, the city still counts.
    Stakeholder.objects.filter(pk=university.pk).update(city_en="", city_ru="Томск")
    assert live_counts(["tomsk-universities"]) == {"tomsk-universities": 1}
    assert live_counts([]) == {}


def test_figures_with_counts_take_two_queries_however_many(db):
    def build(n, start):
        facts = []
        for order in range(start, start + n):
            fact = KeyFact.objects.create(
                order=order, figure=str(order), text="t", live_count="projects"
            )
            KeyFactPart.objects.create(
                key_fact=fact, label="p", value=1, live_count="tomsk-universities"
            )
            facts.append(fact)
        return facts

    factories.project()
    for n, start in ((2, 1), (20, 100)):
        facts = build(n, start)
        with CaptureQueriesContext(connection) as context:
            shown = with_live_counts(facts)
        assert len(context.captured_queries) == 2
        assert shown.live_counted
        assert all(f.live == 1 and f.figures[0].live == 0 for f in shown)
    plain = KeyFact.objects.create(order=999, figure="9", text="t")
    assert not with_live_counts([plain]).live_counted
    with CaptureQueriesContext(connection) as context:
        assert with_live_counts([]) == []
    assert not context.captured_queries


class Indicators(HTMLParser):
    """The text of each key figure's card, by the id of its element."""

    def __init__(self):
        super().__init__()
        self.cards, self.current, self.depth = {}, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and (attrs.get("id") or "").startswith("figure-"):
            self.current, self.depth = attrs["id"], 0
            self.cards[self.current] = []
        elif self.current and tag == "li":
            self.depth += 1

    def handle_endtag(self, tag):
        if self.current and tag == "li":
            if self.depth:
                self.depth -= 1
            else:
                self.current = None

    def handle_data(self, data):
        if self.current:
            self.cards[self.current].append(data)


def cards(html):
    parser = Indicators()
    parser.feed(html)
    return {key: " ".join(" ".join(parts).split()) for key, parts in parser.cards.items()}


@pytest.mark.parametrize("path", ["/", "/about/"])
def test_home_and_about_show_the_figures_as_stated(seeded, client, path):
    response = client.get(path)
    html = response.content.decode()
    shown = cards(html)
    assert set(shown) == {f"figure-{n}" for n in range(2, 11)}  # the goal stands apart
    projects = shown["figure-10"]
    assert projects.startswith("over 100 Projects implemented") or "over 100" in projects
    assert "Full wording" in projects and "Over 100 industrial, research" in projects
    assert "Source: INO Tomsk in figures" in projects
    ministries = shown["figure-4"]
    assert "12" in ministries and "6 Tomsk universities" in ministries
    assert "target year 2020" in shown["figure-9"]
    assert "160 thousand" in shown["figure-9"] and "as of" not in shown["figure-9"]
    assert "250 RUB bln" in shown["figure-3"] and "65 % confirmed" in shown["figure-3"]
    # The figure, its label and its source: no badge of its kind, no count of the directory
    # (not "Now in the directory: 0" beside the 65 roadmap actions stated).
    for card in shown.values():
        assert "directory" not in card and "Now in" not in card
        assert not any(kind in card for kind in ("Target", "Stated fact", "Count"))
    assert "indicator-kind" not in html and "indicator-live" not in html and "None" not in html
    # The comparison lives on the statistics page, linked once.
    assert html.count('href="/statistics/#stated-figures"') == 1
    # The full wording on demand, without script.
    assert html.count('<details class="indicator-wording">') == 9
    assert "css/indicators.css" in html


@pytest.mark.parametrize("path", ["/ru/", "/ru/about/"])
def test_the_figures_in_russian(seeded, client, path):
    html = client.get(path).content.decode()
    shown = cards(html)
    projects = shown["figure-10"]
    assert "более" in projects and "100" in projects and "Сейчас в каталоге" not in projects
    assert "Полная формулировка" in projects and "Источник:" in projects
    assert "каталог" not in " ".join(shown.values())
    assert "целевой год 2020" in shown["figure-9"] and "Цель" not in shown["figure-9"]
    assert 'href="/ru/statistics/#stated-figures"' in html
    # The portal's Russian of the seed wording (docs/seed-content.md), with Russian units.
    figures = html.split('id="figures-heading"', 1)[1].split("</section>", 1)[0]
    assert "реализуемых проектов" in projects and 'lang="en"' not in figures
    # Number and unit on one line: 250 млрд руб., 160 тыс., 65 %.
    assert '250</span>&nbsp;<span class="indicator-unit">млрд\xa0руб.</span>' in html
    assert '160</span>&nbsp;<span class="indicator-unit">тыс.</span>' in html
    assert "65&nbsp;%</span> подтверждённые внебюджетные средства" in html
    with translation.override("ru"):
        assert KeyFact.objects.get(order=10).label == "реализуемых проектов"


def test_editors_describe_a_figure_and_its_further_figures_in_the_admin(admin_client):
    fact = KeyFact.objects.create(order=20, figure="3 parks", text="3 parks are built.")
    url = f"/admin/portal/keyfact/{fact.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        edit_token=form.initial.get("edit_token", "") or page.context.get("edit_token", ""),
        label="parks built",
        label_ru="построено парков",
        value="3",
        kind="target",
        target_year="2030",
        source_title="A report",
        source_url="/documents/",
        live_count="park-types",
        **{
            "parts-TOTAL_FORMS": "1",
            "parts-INITIAL_FORMS": "0",
            "parts-0-order": "1",
            "parts-0-value": "2",
            "parts-0-label_en": "of them industrial",
            "parts-0-label_ru": "из них промышленных",
            "parts-0-unit_en": "",
            "parts-0-live_count": "",
        },
    )
    data = {k: v for k, v in data.items() if v is not None}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    fact.refresh_from_db()
    assert (fact.label_en, fact.label_ru, fact.value, fact.kind) == (
        "parks built",
        "построено парков",
        Decimal(3),
        "target",
    )
    assert (fact.target_year, fact.source_url, fact.live_count) == (
        2030,
        "/documents/",
        "park-types",
    )
    part = fact.parts.get()
    assert (part.label_en, part.label_ru, part.value) == (
        "of them industrial",
        "из них промышленных",
        2,
    )
