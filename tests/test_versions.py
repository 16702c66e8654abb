"""Versions of content: every save keeps one; history, diff, restore and recover in the admin.

django-reversion stores the versions, cms/compare.py shows the diff (tests/test_version_compare.py
tests it further), and cms/versions.py keeps the roles' rules when restoring or recovering.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from clusters.models import Cluster, ClusterMembership
from cms.roles import EDITORS, PUBLISHERS
from news.models import Article
from portal.models import Direction, KeyFact, Park, ParkType, Project, Stakeholder

from . import factories
from .test_edit_conflicts import form_data, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def paula(django_user_model):
    return staff(django_user_model, "paula", PUBLISHERS)


@pytest.fixture
def eddie(django_user_model):
    return staff(django_user_model, "eddie", EDITORS)


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def versions(obj):
    """The object's versions, oldest first."""
    return list(Version.objects.get_for_object(obj).select_related("revision").order_by("pk"))


def edit(client, obj, **changes):
    response = client.post(
        url(type(obj), "change", obj.pk),
        form_data(client.get(url(type(obj), "change", obj.pk)), **changes),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()
    return obj


def restore(client, version, **changes):
    """Open a version's page (the form filled with it) and save it."""
    model = version._model
    page = client.get(url(model, "revision", version.object_id, version.pk))
    return client.post(
        url(model, "revision", version.object_id, version.pk), form_data(page, **changes)
    )


def assert_no_inline_code(response):
    """The pages obey the strict CSP: no inline script or style to be refused."""
    assert "Content-Security-Policy" in response.headers
    content = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", content)
    assert "<style" not in content
    assert not re.search(r"\sstyle=", content)
    assert not re.search(r"\son[a-z]+=", content)


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


# Restore ------------------------------------------------------------------------------------


def test_restoring_a_version_is_a_new_version(paula):
    article = factories.article(title="First", body="Old body.")
    edit(paula, article)
    edit(paula, article, title="Second", body="New body.")
    first = versions(article)[0]

    page = paula.get(url(Article, "revision", article.pk, first.pk))
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["title"] == "First"
    assert_no_inline_code(page)
    assert Article.objects.get(pk=article.pk).title == "Second"  # opening changes nothing

    assert restore(paula, first).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body) == ("First", "Old body.")
    kept = versions(article)
    assert len(kept) == 3
    assert kept[-1].revision.user.username == "paula"
    assert kept[-1].revision.comment.startswith("Reverted to previous version, saved on")


def test_editor_cannot_publish_by_restoring_a_published_version(paula, eddie):
    article = factories.article(title="Live title")
    edit(paula, article)  # a version while published
    published_version = versions(article)[-1]
    edit(paula, article, status="draft", title="Withdrawn title")

    # The form of the old version starts from the state the article has now: a draft.
    page = eddie.get(url(Article, "revision", article.pk, published_version.pk))
    assert page.context["adminform"].form.initial["status"] == "draft"

    # Posting "published" anyway is refused, as on the change form.
    response = restore(eddie, published_version, status="published")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "Only publishers can publish or unpublish: leave this as it was, or ask a publisher."
    ]
    article.refresh_from_db()
    assert (article.status, article.title) == ("draft", "Withdrawn title")

    # Restoring as the form offers it brings the text back and keeps the draft.
    assert restore(eddie, published_version).status_code == 302
    article.refresh_from_db()
    assert (article.status, article.title) == ("draft", "Live title")


def test_editor_restoring_a_draft_version_keeps_it_published(paula, eddie):
    article = factories.article(status="draft", title="Draft title")
    edit(paula, article)
    draft_version = versions(article)[-1]
    edit(paula, article, status="published", title="Published title")
    assert restore(eddie, draft_version).status_code == 302
    article.refresh_from_db()
    assert (article.status, article.title) == ("published", "Draft title")


def test_publisher_may_restore_a_published_version(paula):
    project = factories.project(name="Shown")
    edit(paula, project)
    shown = versions(project)[-1]
    edit(paula, project, is_published="")
    assert restore(paula, shown).status_code == 302
    assert Project.objects.get(pk=project.pk).is_published is True


def test_restore_brings_back_the_inline_rows(paula):
    lead = factories.stakeholder(name="Lead university")
    partner = factories.stakeholder(name="Partner company")
    project = factories.project(stakeholders=[(lead, "lead")])
    edit(paula, project)
    before = versions(project)[-1]
    project.roles.all().delete()
    project.roles.create(stakeholder=partner, role="investor")
    edit(paula, project, name="Renamed")

    assert restore(paula, before).status_code == 302
    project.refresh_from_db()
    assert project.name != "Renamed"
    assert list(project.roles.values_list("stakeholder__name", "role")) == [
        ("Lead university", "lead")
    ]

    compare = paula.get(
        url(Project, "compare", project.pk),
        {"version_id1": before.pk, "version_id2": versions(project)[1].pk},
    )
    assert compare.status_code == 200
    content = compare.content.decode()
    assert "<h3>Name [en]</h3>" in content
    assert "<h3>direction" not in content  # an unchanged link is no change


def test_restore_of_a_cluster_restores_its_members(paula):
    member = factories.stakeholder(name="Member one")
    cluster = factories.cluster(name="Cluster", members=[(member, "anchor")])
    edit(paula, cluster)
    before = versions(cluster)[-1]
    ClusterMembership.objects.filter(cluster=cluster).update(role="partner")
    edit(paula, cluster, summary="Changed")
    assert restore(paula, before).status_code == 302
    assert list(cluster.memberships.values_list("role", flat=True)) == ["anchor"]
    assert Cluster.objects.get(pk=cluster.pk).summary == ""


def test_restore_touches_no_other_object_of_the_revision(paula):
    # A cluster link edited from a project page gives the cluster a version in that revision.
    project = factories.project(name="Project")
    cluster = factories.cluster(name="Cluster", is_published=False)
    data = form_data(paula.get(url(Project, "change", project.pk)))
    data.update(
        {"Cluster_projects-TOTAL_FORMS": "1", "Cluster_projects-0-cluster": str(cluster.pk)}
    )
    assert paula.post(url(Project, "change", project.pk), data).status_code == 302
    (cluster_version,) = versions(cluster)
    assert cluster_version.field_dict["projects"] == [project.pk]
    project_version = versions(project)[-1]
    assert cluster_version.revision_id == project_version.revision_id

    Cluster.objects.filter(pk=cluster.pk).update(is_published=True, summary="Later")
    edit(paula, project, name="Renamed project")
    assert restore(paula, project_version).status_code == 302
    cluster.refresh_from_db()
    assert (cluster.is_published, cluster.summary) == (True, "Later")
    assert Project.objects.get(pk=project.pk).name == "Project"


def test_restore_leaves_out_links_to_objects_deleted_since(paula):
    cluster = factories.cluster()
    direction = factories.direction()
    article = factories.article(title="Linked")
    article.clusters.add(cluster)
    article.directions.add(direction)
    edit(paula, article)
    linked = versions(article)[-1]
    edit(paula, article, title="Unlinked", clusters=[], directions=[])
    cluster.delete()

    assert restore(paula, linked).status_code == 302
    article.refresh_from_db()
    assert article.title == "Linked"
    assert list(article.directions.all()) == [direction]
    assert not article.clusters.exists()


def test_a_version_of_another_model_cannot_be_opened_here(paula, eddie):
    article = factories.article(title="Article")
    edit(paula, article)
    direction = Direction.objects.create(pk=article.pk, name="Same id", slug="same-id")
    version = versions(article)[-1]
    assert eddie.get(url(Direction, "revision", direction.pk, version.pk)).status_code == 404


def test_restoring_from_a_stale_version_page_is_refused(paula, eddie):
    article = factories.article(title="One")
    edit(paula, article)
    old = versions(article)[-1]
    edit(paula, article, title="Two")
    page = eddie.get(url(Article, "revision", article.pk, old.pk))
    edit(paula, article, lead="Written meanwhile")

    response = eddie.post(url(Article, "revision", article.pk, old.pk), form_data(page))
    assert response.status_code == 200
    assert "Not saved: paula" in " ".join(response.context["adminform"].form.non_field_errors())
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Two", "Written meanwhile")


# Recover deleted ----------------------------------------------------------------------------


def test_publisher_recovers_a_deleted_article_with_its_links(paula):
    cluster = factories.cluster(name="Linked cluster")
    article = factories.article(title="Deleted by mistake")  # never saved in the admin
    article.clusters.add(cluster)
    assert paula.post(url(Article, "delete", article.pk), {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()

    listing = paula.get(url(Article, "recoverlist"))
    assert listing.status_code == 200
    assert "Deleted by mistake" in listing.content.decode()
    assert_no_inline_code(listing)
    assert "Recover deleted articles" in paula.get(url(Article, "changelist")).content.decode()

    (deleted,) = Version.objects.get_deleted(Article)
    page = paula.get(url(Article, "recover", deleted.pk))
    assert page.status_code == 200
    assert not Article.objects.filter(pk=article.pk).exists()  # opening changes nothing
    assert paula.post(url(Article, "recover", deleted.pk), form_data(page)).status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert (article.title, article.status) == ("Deleted by mistake", "published")
    assert list(article.clusters.all()) == [cluster]
    assert not Version.objects.get_deleted(Article).exists()


def test_a_deleted_project_comes_back_with_its_roles(paula):
    partner = factories.stakeholder(name="Partner")
    project = factories.project(name="Gone", stakeholders=[(partner, "partner")])
    paula.post(
        url(Project, "changelist"),
        {"action": "delete_selected", "_selected_action": [project.pk], "post": "yes"},
    )
    assert not Project.objects.filter(pk=project.pk).exists()
    (deleted,) = Version.objects.get_deleted(Project)
    page = paula.get(url(Project, "recover", deleted.pk))
    assert paula.post(url(Project, "recover", deleted.pk), form_data(page)).status_code == 302
    assert list(Project.objects.get(pk=project.pk).roles.values_list("stakeholder", "role")) == [
        (partner.pk, "partner")
    ]


def test_editor_recovers_a_published_article_only_as_a_draft(paula, eddie):
    article = factories.article(title="Was live", published_at=timezone.now() - timedelta(days=1))
    paula.post(url(Article, "delete", article.pk), {"post": "yes"})
    (deleted,) = Version.objects.get_deleted(Article)

    page = eddie.get(url(Article, "recover", deleted.pk))
    assert page.context["adminform"].form.initial["status"] == "draft"
    refused = eddie.post(url(Article, "recover", deleted.pk), form_data(page, status="published"))
    assert refused.status_code == 200
    assert not Article.objects.filter(pk=article.pk).exists()

    assert eddie.post(url(Article, "recover", deleted.pk), form_data(page)).status_code == 302
    assert Article.objects.get(pk=article.pk).status == "draft"


def test_recovering_needs_the_add_permission(django_user_model, paula):
    article = factories.article()
    paula.post(url(Article, "delete", article.pk), {"post": "yes"})
    (deleted,) = Version.objects.get_deleted(Article)
    user = django_user_model.objects.create_user("changer", password="pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "change_article"])
    )
    client = Client()
    client.force_login(user)
    assert client.get(url(Article, "recoverlist")).status_code == 403
    assert client.get(url(Article, "recover", deleted.pk)).status_code == 403
    assert client.post(url(Article, "recover", deleted.pk), {}).status_code == 403
    assert "Recover deleted" not in client.get(url(Article, "changelist")).content.decode()
    assert not Article.objects.filter(pk=article.pk).exists()


def test_only_deleted_objects_of_this_model_can_be_recovered_here(paula):
    article = factories.article()
    edit(paula, article)
    live = versions(article)[-1]
    assert paula.get(url(Article, "recover", live.pk)).status_code == 404
    park_type = factories.park_type()
    paula.post(url(ParkType, "delete", park_type.pk), {"post": "yes"})
    (deleted,) = Version.objects.get_deleted(ParkType)
    assert paula.get(url(Park, "recover", deleted.pk)).status_code == 404
    assert paula.get(url(ParkType, "recover", deleted.pk)).status_code == 200


def test_a_stakeholder_comes_back_with_its_memberships_and_roles(paula):
    stakeholder = factories.stakeholder(name="Member")
    cluster = factories.cluster(members=[(stakeholder, "coordinator")])
    project = factories.project(stakeholders=[(stakeholder, "investor")])
    paula.post(url(Stakeholder, "delete", stakeholder.pk), {"post": "yes"})
    assert not cluster.memberships.exists()
    assert not project.roles.exists()
    (deleted,) = Version.objects.get_deleted(Stakeholder)
    page = paula.get(url(Stakeholder, "recover", deleted.pk))
    assert paula.post(url(Stakeholder, "recover", deleted.pk), form_data(page)).status_code == 302
    assert list(cluster.memberships.values_list("stakeholder__name", "role")) == [
        ("Member", "coordinator")
    ]
    assert list(project.roles.values_list("stakeholder__name", "role")) == [("Member", "investor")]
