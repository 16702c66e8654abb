"""Russian pages in Russian: with the seed data, /ru/ home, about (directions, key figures, park
types), the clusters, the projects of each direction, statistics and stakeholder pages show no
English word but proper names and format names, and every text shown in English for want of a
translation is marked: ``lang="en"`` and the visible "only in English" note. Lists sort by the
Russian name where there is one."""

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

from clusters.models import Cluster
from portal.models import Direction, KeyFact, Stakeholder

from . import factories

pytestmark = pytest.mark.django_db

# Names of formats, kept as they are in Russian too.
ALLOWED = {"RSS", "Atom", "CSV", "JSON", "GeoJSON", "iCalendar", "ics", "API"}
LATIN_WORD = re.compile(r"[A-Za-z]+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Attributes a reader sees or hears.
READ_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []  # Nodes and strings

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()


class Tree(HTMLParser):
    """A small DOM of a page, enough to ask what a reader sees."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", [], None)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def body_of(html):
    return next(node for node in Tree(html).root.walk() if node.tag == "body")


def in_other_language(node):
    """Marked as text in another language; the language switcher names English in English."""
    return node.attrs.get("lang") not in (None, "ru") and "hreflang" not in node.attrs


def russian_view(node, found):
    """The Latin words a reader sees in ``node``, outside scripts and English-marked text."""
    if node.tag in ("script", "style", "template", "svg") or node.attrs.get("lang", "ru") != "ru":
        return
    for name in READ_ATTRIBUTES:
        found += LATIN_WORD.findall(node.attrs.get(name) or "")
    for child in node.children:
        if isinstance(child, str):
            found += LATIN_WORD.findall(child)
        else:
            russian_view(child, found)


def has_note(node):
    return any("lang-note" in n.classes() for n in node.walk())


def unmarked(body):
    """Elements with English text and no visible note: an inline text needs the note right
    after it; a block (a description, a body, a snippet) needs one in its card or article."""
    missing = []
    for node in body.walk():
        if not in_other_language(node) or not node.text().strip():
            continue
        if node.tag == "span":
            siblings = node.parent.children
            after = [c for c in siblings[siblings.index(node) + 1 :] if not isinstance(c, str)]
            if not (after and "lang-note" in after[0].classes()):
                missing.append(node.text().strip()[:60])
        else:
            holder = node.parent
            while holder is not None and holder.tag not in ("article", "li", "main"):
                holder = holder.parent
            if holder is None or not has_note(holder):
                missing.append(node.text().strip()[:60])
    return missing


def pages():
    urls = ["/ru/", "/ru/about/", "/ru/clusters/", "/ru/statistics/", "/ru/stakeholders/"]
    urls += [f"/ru/clusters/{cluster.slug}/" for cluster in Cluster.objects.all()]
    urls += [f"/ru/projects/?direction={d.slug}" for d in Direction.objects.all()]
    urls += [
        f"/ru/stakeholders/{slug}/"
        for slug in (
            "national-research-tomsk-state-university",  # a city
            "masaryk-university",  # a country
            "iba-heidelberg",  # a description
            "federal-agency-for-scientific-organizations",  # a short name
        )
    ]
    return urls


@pytest.fixture
def seed_data():
    call_command("seed", verbosity=0)


def proper_names():
    """Words of the texts the seeds give in English only and pages mark as such; they may
    still appear unmarked in a sentence of the interface ("News about <name>")."""
    words = set()
    for stakeholder in Stakeholder.objects.all():
        words |= set(LATIN_WORD.findall(f"{stakeholder.name_en} {stakeholder.short_name_en}"))
    return words


def test_russian_pages_have_no_english_word_but_marked_names(seed_data, client):
    names = proper_names()
    found = {}
    for url in pages():
        response = client.get(url)
        assert response.status_code == 200, url
        body = body_of(response.content.decode())
        words = []
        russian_view(body, words)
        english = sorted({w for w in words if w not in ALLOWED and w not in names})
        if english:
            found[url] = english
        missing = unmarked(body)
        if missing:
            found[url + " (no note)"] = missing
    assert not found, found


def test_stated_facts_read_in_russian(seed_data, client):
    home = client.get("/ru/").content.decode()
    assert "Создание в границах Томской агломерации" in home  # the goal, in the hero
    assert "Наука и образование" in home and "Нефтехимический кластер" in home
    about = client.get("/ru/about/").content.decode()
    for text in ("Деловая среда", "Историко-культурный", "инвестиционный разрыв", "млрд\xa0руб."):
        assert text in about, text
    tomsk = client.get("/ru/stakeholders/national-research-tomsk-state-university/")
    assert "Томск" in tomsk.content.decode()
    assert "Чехия" in client.get("/ru/stakeholders/masaryk-university/").content.decode()


def test_an_untranslated_city_or_country_is_marked(client):
    factories.stakeholder(slug="abroad", name="Abroad Institute", city="Springfield")
    Stakeholder.objects.filter(slug="abroad").update(country_en="Freedonia")
    html = client.get("/ru/stakeholders/abroad/").content.decode()
    note = ' <span class="lang-note">(только на английском)</span>'
    assert f'<span lang="en">Springfield</span>{note}' in html
    assert f'<span lang="en">Freedonia</span>{note}' in html
    listed = client.get("/ru/stakeholders/").content.decode()
    assert f'<span lang="en">Springfield</span>{note}' in listed


def test_lists_sort_by_the_russian_name_where_there_is_one(client):
    for slug, english, russian in [
        ("alpha", "Alpha", "Яхонт"),
        ("beta", "Beta", "Бета"),
        ("gamma", "Gamma", "Вега"),
        ("zeta", "Zeta", None),  # no Russian name: sorted by its English one
    ]:
        factories.stakeholder(slug=slug, name=english)
        Stakeholder.objects.filter(slug=slug).update(name_ru=russian)
    english = client.get("/stakeholders/").context["rows"]
    assert [row.slug for row in english] == ["alpha", "beta", "gamma", "zeta"]
    russian = [row.slug for row in client.get("/ru/stakeholders/").context["rows"]]
    # Where Latin letters sort against Cyrillic ones is the database collation's choice.
    assert [slug for slug in russian if slug != "zeta"] == ["beta", "gamma", "alpha"]
    assert "zeta" in russian


def test_clusters_sort_by_their_russian_name_after_their_order(client):
    for slug, english, russian in [("a", "Apples", "Яблоки"), ("b", "Bees", "Пчёлы")]:
        factories.cluster(slug=slug, name=english, order=1)
        Cluster.objects.filter(slug=slug).update(name_ru=russian)
    factories.cluster(slug="first", name="Zebras", order=0)
    assert [row.slug for row in client.get("/clusters/").context["rows"]] == ["first", "a", "b"]
    assert [row.slug for row in client.get("/ru/clusters/").context["rows"]] == ["first", "b", "a"]


def test_short_messages_read_as_meant(seed_data, client, admin_client):
    """Short messages with more than one meaning are translated in their context."""
    for url in ("/ru/stakeholders/masaryk-university/", "/ru/clusters/timber/"):
        html = client.get(url).content.decode()
        assert '<h2 id="share-heading">Поделиться</h2>' in html, url
        assert "Доля" not in html, url
    with translation.override("ru"):
        assert str(KeyFact.Kind.TARGET.label) == "Целевой показатель"
        assert str(KeyFact._meta.get_field("kind").verbose_name) == "вид показателя"
        assert str(Stakeholder._meta.get_field("kind").verbose_name) == "тип организации"
    listed = client.get("/ru/stakeholders/").context["facets"]
    assert "Тип организации" in [facet.label for facet in listed]
    admin_client.cookies["django_language"] = "ru"
    form = admin_client.get("/admin/portal/keyfact/3/change/", HTTP_ACCEPT_LANGUAGE="ru")
    assert form.context["adminform"].form.fields["kind"].label == "Вид показателя"


def test_dates_and_numbers_follow_russian_conventions(seed_data, client):
    news = client.get("/ru/news/").content.decode()
    assert "12 декабря 2017 г., 11:19" in news
    assert "12 December 2017, 11:19" in client.get("/news/").content.decode()
    event = client.get("/ru/events/ii-international-forum-of-university-cities/")
    assert "30 ноября 2017 г." in event.content.decode()
    project = factories.project(slug="costly", budget=1250000)
    html = client.get(f"/ru/projects/{project.slug}/").content.decode()
    assert "1\u202f250\u202f000 руб." in html  # narrow no-break spaces between thousands
    assert "RUB 1,250,000" in client.get(f"/projects/{project.slug}/").content.decode()
    template = Template('{{ day|date:"DATE_FORMAT" }}|{{ n|floatformat:"-2g" }}')
    context = Context({"day": date(2017, 12, 12), "n": Decimal("1250.5")})
    with translation.override("ru"):
        assert template.render(context) == "12 декабря 2017 г.|1\u202f250,50"
    with translation.override("en"):
        assert template.render(context) == "12 December 2017|1,250.50"
