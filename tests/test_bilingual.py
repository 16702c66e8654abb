"""Content in both languages: fallbacks marked on pages, the language filter, the admin, and
no English interface word left on a Russian page."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from clusters.models import Cluster
from news.models import Article
from portal.models import Direction, KeyFact, Park, ParkType, Project, Stakeholder
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_by_default():
    """Objects made here are written in English (a page in Russian leaves its language on)."""
    translation.activate("en")
    yield
    translation.activate("en")


def test_a_russian_title_shows_on_ru_and_the_english_one_at_the_root(client):
    article = factories.article(title="Tomsk opens a park")
    Article.objects.filter(pk=article.pk).update(title_ru="Томск открывает парк")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Tomsk opens a park" in page and "Томск открывает парк" not in page
    with translation.override("ru"):
        url = article.get_absolute_url()
    assert url.startswith("/ru/")
    page = client.get(url).content.decode()
    assert "<h1>Томск открывает парк</h1>" in page


def test_an_english_only_article_is_on_ru_marked_with_its_language_and_a_note(client):
    article = factories.article(title="Only in English")
    page = client.get("/ru/news/").content.decode()
    assert '<span lang="en">Only in English</span>' in page
    assert "только на английском" in page
    with translation.override("ru"):
        url = article.get_absolute_url()
    page = client.get(url).content.decode()
    assert '<h1><span lang="en">Only in English</span>' in page
    assert "только на английском" in page
    # On the English page the same text is in the page's language: no mark, no note.
    translation.activate("en")
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<html lang="en">' in page
    assert '<span lang="en">' not in page and "lang-note" not in page


def test_only_items_in_this_language(client):
    english = factories.article(title="English only")
    both = factories.article(title="Both languages")
    Article.objects.filter(pk=both.pk).update(title_ru="Оба языка")
    rows = client.get("/ru/news/", {"translated": "1"}).context["rows"]
    assert [row.pk for row in rows] == [both.pk]
    rows = client.get("/ru/news/").context["rows"]
    assert {row.pk for row in rows} == {english.pk, both.pk}
    rows = client.get("/news/", {"translated": "1"}).context["rows"]
    assert {row.pk for row in rows} == {english.pk, both.pk}
    for path in ("/ru/projects/", "/ru/stakeholders/", "/ru/parks/"):
        assert client.get(path, {"translated": "1"}).status_code == 200


def test_facet_names_use_the_page_language_with_fallback(client):
    cluster = factories.cluster(name="Smart city")
    Cluster.objects.filter(pk=cluster.pk).update(name_ru="Умный город")
    project = factories.project(name="Drones")
    article = factories.article(title="News")
    article.clusters.add(cluster)
    article.projects.add(project)
    page = client.get("/ru/news/").content.decode()
    assert "Умный город" in page
    assert '<span lang="en">Drones</span>' in page


def test_the_admin_edits_both_languages_side_by_side(admin_client):
    article = factories.article(title="Side by side")
    url = reverse("admin:news_article_change", args=[article.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="title"' in page and 'name="title_ru"' in page
    assert "Title [ru]" in page
    # Both inputs on one row of the fieldset.
    row = re.search(r'<div class="form-row[^"]*field-title[^"]*field-title_ru', page)
    assert row, "title and title_ru share a row"
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: form.initial.get(name, "") or ""
        for name in form.fields
        if name not in ("image", "clusters", "projects", "stakeholders", "parks", "directions")
    }
    data.update(
        title="Side by side",
        title_ru="Рядом",
        published_at_0="2026-01-01",
        published_at_1="10:00:00",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert (article.title_en, article.title_ru) == ("Side by side", "Рядом")


def test_a_text_may_be_written_in_russian_only_but_not_in_neither(admin_client):
    url = reverse("admin:news_article_add")
    form = admin_client.get(url).context["adminform"].form
    base = {
        "slug": "ru-only",
        "status": "draft",
        "published_at_0": "2026-01-01",
        "published_at_1": "10:00:00",
        "edit_token": form["edit_token"].value() if "edit_token" in form.fields else "",
    }
    neither = admin_client.post(url, base)
    assert neither.status_code == 200
    errors = neither.context["adminform"].form.errors
    assert errors["title"] == ["Write this in English or in Russian."]
    assert not Article.objects.filter(slug="ru-only").exists()
    russian = admin_client.post(url, {**base, "title_ru": "Только по-русски", "body_ru": "Текст."})
    assert russian.status_code == 302
    article = Article.objects.get(slug="ru-only")
    assert (article.title_en or "", article.title_ru) == ("", "Только по-русски")


def test_the_admin_lists_filter_by_translation(admin_client):
    english = factories.article(title="Untranslated")
    both = factories.article(title="Translated")
    Article.objects.filter(pk=both.pk).update(
        title_ru="Переведено", body_ru=both.body_en, lead_ru=both.lead_en
    )
    url = reverse("admin:news_article_changelist")
    shown = lambda value: {  # noqa: E731
        obj.pk for obj in admin_client.get(url, {"translation": value}).context["cl"].result_list
    }
    assert shown("missing-ru") == {english.pk}
    assert shown("missing-en") == set()
    assert shown("complete") == {both.pk}
    for model in (Direction, KeyFact, ParkType, Park, Project, Stakeholder, Cluster):
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert admin_client.get(changelist, {"translation": "missing-ru"}).status_code == 200


def test_the_seeds_fill_the_english_columns_and_the_portal_translates_stated_facts(seeded):
    # Article texts and names of organisations and projects stay as the seeds give them.
    for model, field in [
        (Article, "title"),
        (Article, "body"),
        (Stakeholder, "name"),
        (Project, "name"),
    ]:
        values = list(model.objects.rewrite(False).values_list(f"{field}_en", f"{field}_ru"))
        assert values and all(en for en, _ru in values), (model, field)
        assert not any(ru for _en, ru in values), (model, field)
    # The short stated facts have the portal's Russian (docs/seed-content.md).
    for model, field in [
        (Cluster, "name"),
        (Direction, "name"),
        (KeyFact, "text"),
        (ParkType, "name"),
    ]:
        values = list(model.objects.rewrite(False).values_list(f"{field}_en", f"{field}_ru"))
        assert values and all(en and ru for en, ru in values), (model, field)


# --- No English interface word on a Russian page -------------------------------------------

# Brand names and formats kept as they are.
ALLOWED = {"RSS", "Atom", "iCalendar", "ics", "CSV", "JSON", "GeoJSON"}  # names of formats
WORD = re.compile(r"[A-Za-z]{2,}")


class VisibleText(HTMLParser):
    """The text a reader sees outside elements marked lang="en" (and outside script, style
    and the head, whose <title> cannot carry a mark)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__()
        self.stack = []
        self.words = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        hidden = tag in ("script", "style", "head", "template") or attrs.get("lang") == "en"
        self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _hidden = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if any(hidden for _tag, hidden in self.stack):
            return
        for word in WORD.findall(data):
            if word not in ALLOWED:
                self.words.append((word, data.strip()[:80]))


def english_words(html):
    parser = VisibleText()
    parser.feed(html)
    return parser.words


def test_no_english_interface_word_on_russian_pages(seeded, client):
    article = Article.objects.published().first()
    project = Project.objects.published().first()
    cluster = Cluster.objects.published().first()
    stakeholder = Stakeholder.objects.published().first()
    with translation.override("ru"):
        pages = [
            reverse("public:home"),
            reverse("public:about"),
            reverse("news:article-list"),
            article.get_absolute_url(),
            reverse("public:project-list"),
            project.get_absolute_url(),
            reverse("clusters:cluster-list"),
            cluster.get_absolute_url(),
            reverse("public:stakeholder-list"),
            stakeholder.get_absolute_url(),
            reverse("public:park-list"),
            reverse("events:event-list"),
            reverse("events:event-detail", args=["ii-international-forum-of-university-cities"]),
            reverse("public:search") + "?q=Tomsk",
            "/ru/no-such-page/",
        ]
    found = {}
    for url in pages:
        assert url.startswith("/ru/"), url
        response = client.get(url)
        assert response.status_code in (200, 404), url
        # The visitor's own search words are echoed back as typed.
        words = [w for w in english_words(response.content.decode()) if w[0] != "Tomsk"]
        if words:
            found[url] = words[:10]
    assert not found, found
