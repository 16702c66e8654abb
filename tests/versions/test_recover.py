"""Recovering deleted entries with their links, within the roles' rules."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from news.models import Article
from portal.models import Park, ParkType, Project, Stakeholder

from .. import factories
from ..admin_forms import form_data
from .helpers import assert_no_inline_code, edit, url, versions

pytestmark = pytest.mark.django_db


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
