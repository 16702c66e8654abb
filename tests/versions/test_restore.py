"""Restoring a version: a new version, within the roles' rules, its inline rows and
members back, no other object of the revision touched."""

import pytest

from clusters.models import Cluster, ClusterMembership
from news.models import Article
from portal.models import Direction, Project

from .. import factories
from ..admin_forms import form_data
from .helpers import assert_no_inline_code, edit, restore, url, versions

pytestmark = pytest.mark.django_db


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
