"""Every save keeps a version; the history lists them and compares two."""

import re

import pytest
from django.test import Client

from news.models import Article
from portal.models import Direction, KeyFact

from .. import factories
from ..admin_forms import form_data
from .helpers import assert_no_inline_code, edit, restore, url, versions

pytestmark = pytest.mark.django_db


# Every save keeps a version ----------------------------------------------------------------


def test_every_save_keeps_a_version_with_who_and_what(paula, eddie):
    response = eddie.post(
        url(Article, "add"),
        form_data(eddie.get(url(Article, "add")), title="Draft", slug="draft", body="Body."),
    )
    assert response.status_code == 302
    article = Article.objects.get(slug="draft")
    edit(paula, article, title="Final")
    first, second = versions(article)
    assert (first.revision.user.username, first.revision.get_comment()) == ("eddie", "Added.")
    assert (second.revision.user.username, second.revision.get_comment()) == (
        "paula",
        "Changed Title.",
    )
    assert (first.field_dict["title_en"], second.field_dict["title_en"]) == ("Draft", "Final")


@pytest.mark.parametrize(
    "build",
    [
        lambda: factories.direction(),
        lambda: KeyFact.objects.create(order=3, figure="7", text="Seven"),
        lambda: factories.park_type(),
        lambda: factories.stakeholder(),
        lambda: factories.park(),
        lambda: factories.project(),
        lambda: factories.cluster(),
        lambda: factories.article(),
    ],
    ids=lambda build: "",
)
def test_every_content_model_keeps_versions_and_shows_its_history(paula, build):
    obj = build()
    edit(paula, obj)
    assert len(versions(obj)) == 1
    response = paula.get(url(type(obj), "history", obj.pk))
    assert response.status_code == 200
    assert "paula" in response.content.decode()
    assert_no_inline_code(response)


def test_bulk_actions_keep_one_version_per_object(paula):
    first = factories.article(status="draft")
    second = factories.article(status="draft")
    response = paula.post(
        url(Article, "changelist"),
        {"action": "publish_now", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    for article in (first, second):
        (version,) = versions(article)
        assert version.field_dict["status"] == "published"
        assert version.revision.user.username == "paula"
        assert version.revision.get_comment() == "Changed Status."
        # One revision per object: restoring one article never touches the other.
        assert version.revision.version_set.count() == 1


def test_list_editable_saves_keep_versions(paula):
    direction = factories.direction(order=1)
    response = paula.post(
        url(Direction, "changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(direction.pk),
            "form-0-order": "5",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    (version,) = versions(direction)
    assert version.field_dict["order"] == 5


# History and diff ---------------------------------------------------------------------------


def test_history_compares_two_versions_and_shows_the_changed_words(paula):
    article = factories.article(title="Tomsk opens a park", body="The park opens in spring.")
    edit(paula, article)
    edit(paula, article, title="Tomsk opens a science park", body="The park opens in autumn.")
    edit(paula, article, lead="A lead.")
    old, middle, new = (v.pk for v in versions(article))

    history = paula.get(url(Article, "history", article.pk))
    content = history.content.decode()
    assert (
        f'name="version_id1" value="{middle}" aria-label="compare from this version" checked'
        in content
    )
    assert 'action="compare/"' in content
    assert_no_inline_code(history)

    compare = paula.get(
        url(Article, "compare", article.pk), {"version_id1": old, "version_id2": new}
    )
    assert compare.status_code == 200
    content = compare.content.decode()
    assert "<ins>science </ins>" in content
    assert "<del>spring</del><ins>autumn</ins>" in content
    assert "A lead." in content
    assert "Updated" not in content  # system fields are not part of the diff
    assert 'class="module version-diff"' in content  # in the admin's look, styled by admin.css
    assert_no_inline_code(compare)


def test_versions_saved_in_the_russian_and_the_english_admin_differ_only_where_edited(paula):
    # The untranslated name reads in the admin's language: versions keep the columns only,
    # so the diff shows what was edited, and a restore puts each language back in its place.
    article = factories.article(title="A park opens", lead="Lead.")
    Article.objects.filter(pk=article.pk).update(title_ru="Парк открывается", lead_ru="Анонс.")
    paula.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    edit(paula, article)
    paula.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    edit(paula, article, title="A park opened")
    saved_in_russian, saved_in_english = versions(article)
    # Neither the untranslated name nor the database's search vectors are part of a version.
    assert not {"title", "search_vector", "search_vector_ru"} & set(saved_in_russian.field_dict)
    assert saved_in_russian.field_dict["title_ru"] == "Парк открывается"

    for language in ("ru", "en"):
        paula.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        compare = paula.get(
            url(Article, "compare", article.pk),
            {"version_id1": saved_in_russian.pk, "version_id2": saved_in_english.pk},
        )
        assert compare.status_code == 200
        headings = re.findall(r"<h3>(.*?)</h3>", compare.content.decode())
        assert len(headings) == 1 and headings[0].endswith(" [en]"), headings

    paula.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    assert restore(paula, saved_in_russian).status_code == 302
    stored = Article.objects.filter(pk=article.pk).values("title_en", "title_ru", "lead_en")
    assert stored.get() == {
        "title_en": "A park opens",
        "title_ru": "Парк открывается",
        "lead_en": "Lead.",
    }


def test_compare_needs_the_view_permission(django_user_model, paula):
    article = factories.article()
    edit(paula, article, title="Second")
    ids = [v.pk for v in versions(article)] * 2
    nobody = django_user_model.objects.create_user("nobody", password="pw", is_staff=True)
    client = Client()
    client.force_login(nobody)
    response = client.get(
        url(Article, "compare", article.pk), {"version_id1": ids[0], "version_id2": ids[1]}
    )
    assert response.status_code == 403
