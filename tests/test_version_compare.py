"""The comparison of two versions in the admin, written on Python's difflib (cms/diff.py,
cms/compare.py, cms/versions.py): changed words marked, every value escaped, lists of rows
and choices item by item, bad version keys a 404, and every word of the page in the admin's
language. django-reversion-compare (GPL-3.0-or-later) is no longer used."""

import ast
import re
import time
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from reversion.models import Version

from cms.diff import MAX_WORDS, diff_html, items_html
from cms.roles import CONTENT_MODELS, LINK_MODELS, PUBLISHABLE_MODELS, PUBLISHERS
from news.models import Article
from portal.models import Project

from . import factories
from .admin_forms import staff
from .versions.helpers import assert_no_inline_code, edit, url, versions

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def paula(django_user_model):
    return staff(django_user_model, "paula", PUBLISHERS)


def compare(client, obj, first, second):
    return client.get(
        url(type(obj), "compare", obj.pk), {"version_id1": first, "version_id2": second}
    )


def headings(response):
    return re.findall(r"<h3>(.*?)</h3>", response.content.decode())


# The diff itself --------------------------------------------------------------------------


def test_words_are_marked_and_every_text_escaped():
    assert diff_html("Tomsk opens a park", "Tomsk opens a science park") == (
        "Tomsk opens a <ins>science </ins>park"
    )
    assert diff_html("A first rewrite of the title", "A second rewrite, later regretted") == (
        "A <del>first </del><ins>second </ins>rewrite<del> of the title</del>"
        "<ins>, later regretted</ins>"
    )
    html = diff_html("<script>alert(1)</script> & park", '<b onclick="x()">park</b> & park')
    assert "<script" not in html and "<b " not in html
    assert "&lt;" in html and "&amp;" in html and "&quot;" in html


def test_unchanged_paragraphs_stay_whole():
    old = "First paragraph stays.\n\nSecond paragraph, old ending.\n\nThird stays."
    new = "First paragraph stays.\n\nSecond paragraph, new ending.\n\nThird stays."
    assert diff_html(old, new) == (
        "First paragraph stays.\n\nSecond paragraph, <del>old </del><ins>new </ins>ending.\n\n"
        "Third stays."
    )
    assert diff_html("", "Added.") == "<ins>Added.</ins>"
    assert diff_html("Removed.", None) == "<del>Removed.</del>"


def test_a_very_long_changed_block_is_shown_removed_and_added_whole():
    old = " ".join(["word"] * (MAX_WORDS + 1))
    new = old + " more"
    started = time.monotonic()
    assert diff_html(old, new) == f"<del>{old}</del><ins>{new}</ins>"
    assert time.monotonic() - started < 1


def test_rows_are_compared_item_by_item():
    html = items_html(["Lead university (lead)", "Partner <b>"], ["Lead university (partner)"])
    assert html == (
        "<li><del>Lead university (lead)</del></li><li><del>Partner &lt;b&gt;</del></li>"
        "<li><ins>Lead university (partner)</ins></li>"
    )
    assert items_html(["a (lead)", "b"], ["a (partner)", "b"]) == (
        "<li>a (<del>lead</del><ins>partner</ins>)</li><li>b</li>"
    )


# The page -----------------------------------------------------------------------------------


def test_a_value_holding_markup_shows_as_text(paula):
    article = factories.article(title="A park opens")
    edit(paula, article)
    edit(paula, article, title='A park <script>alert("x")</script> opens')
    old, new = versions(article)
    response = compare(paula, article, old.pk, new.pk)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; </ins>" in content
    assert_no_inline_code(response)


def test_the_russian_admin_compares_in_russian(paula):
    article = factories.article(title="A park opens", body="It opens in spring.")
    edit(paula, article)
    edit(paula, article, title="A park opened", body="It opens in autumn.")
    old, new = versions(article)
    paula.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    response = compare(paula, article, new.pk, old.pk)  # in either order
    assert response.status_code == 200
    html = response.content.decode()
    # The page's own part (the menu beside it lists every app's models).
    content = html[html.index('<div id="content"') : html.index("<!-- END Content -->")]
    content += html[html.index('<div class="breadcrumbs">') : html.index('<div class="main"')]
    for russian in (
        "Сравнение версий «A park opened»",
        "Более ранняя версия",
        "Более поздняя версия",
        "Назад к истории",
        "Открыть более раннюю версию, чтобы восстановить её",
        "Удалённое зачёркнуто, добавленное подчёркнуто.",
        "Дата и время",
    ):
        assert russian in content
    for english in (
        "Compare",
        "Older",
        "Newer",
        "There are no differences",
        "Edit comment",
        "Go back to history list",
        "Revert to this version",
        "History",
    ):
        assert english not in content
    with translation.override("ru"):
        expected = [
            f"{capfirst(Article._meta.get_field(name).verbose_name)}"
            for name in ("title_en", "body_en")
        ]
    assert headings(response) == expected
    assert "<del>spring</del><ins>autumn</ins>" in content

    history = paula.get(url(Article, "history", article.pk))
    assert "Сравнить" in history.content.decode()


def test_the_same_version_twice_shows_no_difference(paula):
    article = factories.article()
    edit(paula, article)
    (version,) = versions(article)
    response = compare(paula, article, version.pk, version.pk)
    assert response.status_code == 200
    assert "These two versions do not differ." in response.content.decode()
    assert headings(response) == []


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"version_id1": "1"},
        {"version_id1": "abc", "version_id2": "1"},
        {"version_id1": "-1", "version_id2": "1"},
        {"version_id1": "1.5", "version_id2": "1"},
        {"version_id1": "٣", "version_id2": "1"},  # a digit, but not an ASCII one
        {"version_id1": "99999999999999999999", "version_id2": "1"},
    ],
)
def test_a_bad_version_key_is_a_404(paula, params):
    article = factories.article()
    edit(paula, article)
    (version,) = versions(article)
    params = {key: value.replace("1", str(version.pk)) for key, value in params.items()}
    assert paula.get(url(Article, "compare", article.pk), params).status_code == 404


def test_a_version_of_another_entry_is_a_404(paula):
    article, other = factories.article(), factories.article()
    edit(paula, article)
    edit(paula, other)
    (mine,), (theirs,) = versions(article), versions(other)
    assert compare(paula, article, mine.pk, theirs.pk).status_code == 404
    assert compare(paula, other, mine.pk, theirs.pk).status_code == 404
    missing = url(Article, "compare", 999999)
    assert paula.get(missing, {"version_id1": mine.pk, "version_id2": mine.pk}).status_code == 404


def test_a_version_that_cannot_be_read_is_said_so(paula):
    article = factories.article(title="First")
    edit(paula, article)
    edit(paula, article, title="Second")
    old, new = versions(article)
    Version.objects.filter(pk=old.pk).update(serialized_data="[not json")
    response = compare(paula, article, old.pk, new.pk)
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()


def test_earlier_and_later_changes_are_linked(paula):
    article = factories.article(title="One")
    edit(paula, article)
    edit(paula, article, title="Two")
    edit(paula, article, title="Three")
    first, second, third = (v.pk for v in versions(article))
    content = compare(paula, article, first, second).content.decode()
    assert f"?version_id1={second}&amp;version_id2={third}" in content
    assert "Previous change" not in content
    content = compare(paula, article, second, third).content.decode()
    assert f"?version_id1={first}&amp;version_id2={second}" in content
    assert "Next change" not in content
    restore = url(Article, "revision", article.pk, second)
    assert f'href="{restore}"' in content


def test_rows_and_choices_are_compared_as_lists(paula):
    lead = factories.stakeholder(name="Lead university")
    partner = factories.stakeholder(name="Partner company")
    park = factories.park(name="Science park")
    project = factories.project(name="Campus", stakeholders=[(lead, "lead")])
    edit(paula, project)
    project.roles.create(stakeholder=partner, role="investor")
    project.parks.add(park)
    edit(paula, project)
    old, new = versions(project)
    response = compare(paula, project, old.pk, new.pk)
    assert response.status_code == 200
    content = response.content.decode()
    roles = capfirst(Project.roles.rel.related_model._meta.verbose_name_plural)
    parks = capfirst(Project._meta.get_field("parks").verbose_name)
    assert headings(response) == [parks, roles]
    assert "<li><ins>Science park</ins></li>" in content
    assert f"<li>{lead} — " in content  # the lead's row, unchanged
    assert "<li><ins>Partner company — " in content


def test_the_roles_cover_the_models_the_apps_name():
    assert set(CONTENT_MODELS) == {
        ("portal", "direction"),
        ("portal", "keyfact"),
        ("portal", "keyfactpart"),
        ("portal", "parktype"),
        ("portal", "stakeholder"),
        ("portal", "park"),
        ("portal", "project"),
        ("portal", "projectstakeholder"),
        ("clusters", "cluster"),
        ("clusters", "clustermembership"),
        ("news", "article"),
        ("events", "event"),
        ("programme", "roadmapaction"),
        ("programme", "page"),
        ("programme", "document"),
    }
    assert set(PUBLISHABLE_MODELS) == {
        ("portal", "stakeholder"),
        ("portal", "park"),
        ("portal", "project"),
        ("clusters", "cluster"),
        ("news", "article"),
        ("events", "event"),
        ("programme", "roadmapaction"),
        ("programme", "page"),
        ("programme", "document"),
    }
    assert set(LINK_MODELS) == {
        ("portal", "projectstakeholder"),
        ("clusters", "clustermembership"),
        ("portal", "keyfactpart"),
    }
    assert ("news", "article") in PUBLISHABLE_MODELS
    assert set(LINK_MODELS) <= set(CONTENT_MODELS)


def test_django_reversion_compare_is_gone():
    assert "reversion_compare" not in settings.INSTALLED_APPS
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any("reversion-compare" in d for d in dependencies["dependencies"])
    for path in ROOT.glob("[!.]*/**/*.py"):
        if ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            assert not any(n.split(".")[0] == "reversion_compare" for n in names), path
