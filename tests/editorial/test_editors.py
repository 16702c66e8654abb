"""The roles' groups, and what an editor may and may not do: drafts only, corrections
of published texts, no publishing, hiding or deleting."""

from datetime import datetime, timedelta

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.roles import EDITORS
from news.models import Article
from portal.models import Project

from .. import factories
from .helpers import TOMSK, action, article_data, history, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("eddie", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


def project_data(project=None, **overrides):
    data = {
        "name": project.name if project else "Tomsk Science Park",
        "slug": project.slug if project else "tomsk-science-park",
        "status": "planned",
        "summary": "",
        "description": "",
        "website": "",
        "image_alt": "",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "Cluster_projects-TOTAL_FORMS": "0",
        "Cluster_projects-INITIAL_FORMS": "0",
    }
    if project and project.is_published:
        data["is_published"] = "on"
    data.update(overrides)
    return data


# Permissions --------------------------------------------------------------------------------


def test_groups_carry_the_roles(editor, publisher):
    for model in ("article", "project", "cluster", "stakeholder", "park"):
        app = "news" if model == "article" else "clusters" if model == "cluster" else "portal"
        assert editor.has_perms([f"{app}.add_{model}", f"{app}.change_{model}"])
        assert not editor.has_perm(f"{app}.delete_{model}")
        assert not editor.has_perm(f"{app}.publish_{model}")
        assert publisher.has_perms([f"{app}.publish_{model}", f"{app}.delete_{model}"])
    assert editor.has_perms(["portal.change_keyfact", "portal.add_direction"])
    assert not editor.has_perm("portal.delete_keyfact")


def test_editor_sees_no_publish_or_delete_actions(as_editor, publisher, client):
    factories.article()
    factories.project()
    # Editors have no bulk action at all, so the admin shows no action form.
    assert as_editor.get(url(Article, "changelist")).context["action_form"] is None
    assert as_editor.get(url(Project, "changelist")).context["action_form"] is None
    client.force_login(publisher)
    actions = client.get(url(Article, "changelist")).context["action_form"]
    choices = {name for name, _label in actions.fields["action"].choices}
    assert {"publish_now", "unpublish", "delete_selected"} <= choices


# Editors ------------------------------------------------------------------------------------


def test_editor_adds_a_draft_and_it_is_in_the_history(as_editor):
    response = as_editor.post(url(Article, "add"), article_data())
    assert response.status_code == 302
    article = Article.objects.get(slug="new-agreement-signed")
    assert article.status == "draft"
    assert history(article) == [(ADDITION, "eddie")]


def test_editor_posting_published_on_add_is_refused(as_editor):
    response = as_editor.post(url(Article, "add"), article_data(status="published"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "Only publishers can publish or unpublish: leave this as it was, or ask a publisher."
    ]
    assert not Article.objects.exists()


def test_editor_add_form_starts_as_draft(as_editor):
    assert (
        as_editor.get(url(Project, "add")).context["adminform"].form.initial["is_published"]
        is False
    )
    form = as_editor.get(url(Article, "add") + "?status=published").context["adminform"].form
    assert form.initial["status"] == "draft"


def test_editor_cannot_publish_a_draft_by_saving(as_editor):
    article = factories.article(status="draft", title="Draft title")
    response = as_editor.post(
        url(Article, "change", article.pk),
        article_data(article, status="published", title="Changed title"),
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.status, article.title) == ("draft", "Draft title")
    assert history(article) == []


def test_editor_cannot_unpublish_by_saving(as_editor):
    article = factories.article(title="Live")
    response = as_editor.post(
        url(Article, "change", article.pk), article_data(article, status="draft")
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == "published"


def test_editor_cannot_move_a_published_articles_time(as_editor):
    article = factories.article(published_at=timezone.now() + timedelta(days=2))
    sooner = timezone.localtime(timezone.now() - timedelta(days=1))
    response = as_editor.post(
        url(Article, "change", article.pk),
        article_data(article, published_at_0=sooner.strftime("%Y-%m-%d")),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published_at"] == [
        "Only publishers can change the time of a published article."
    ]
    assert Article.objects.scheduled().filter(pk=article.pk).exists()


def test_editor_may_correct_the_text_of_a_published_article(as_editor):
    article = factories.article(body="Teh text.")
    response = as_editor.post(
        url(Article, "change", article.pk), article_data(article, body="The text.")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.body, article.status) == ("The text.", "published")
    assert history(article) == [(CHANGE, "eddie")]


def test_editor_may_reschedule_a_draft(as_editor):
    article = factories.article(status="draft")
    response = as_editor.post(
        url(Article, "change", article.pk),
        article_data(article, published_at_0="2027-01-15", published_at_1="09:00:00"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_at == datetime(2027, 1, 15, 9, tzinfo=TOMSK)


def test_editor_adds_directory_entries_as_drafts_only(as_editor):
    response = as_editor.post(url(Project, "add"), project_data(is_published="on"))
    assert response.status_code == 200
    assert "Only publishers can publish" in response.content.decode()
    assert not Project.objects.exists()
    response = as_editor.post(url(Project, "add"), project_data())
    assert response.status_code == 302
    assert Project.objects.get(slug="tomsk-science-park").is_published is False


def test_editor_cannot_hide_a_published_project(as_editor):
    project = factories.project(name="Live project")
    response = as_editor.post(
        url(Project, "change", project.pk), project_data(project, is_published="")
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.is_published is True


def test_editor_cannot_delete(as_editor):
    article = factories.article()
    project = factories.project()
    assert as_editor.get(url(Article, "delete", article.pk)).status_code == 403
    assert as_editor.post(url(Article, "delete", article.pk), {"post": "yes"}).status_code == 403
    assert as_editor.post(url(Project, "delete", project.pk), {"post": "yes"}).status_code == 403
    action(as_editor, Article, "delete_selected", [article])
    assert Article.objects.filter(pk=article.pk).exists()
    assert Project.objects.filter(pk=project.pk).exists()


@pytest.mark.parametrize("name", ["publish_now", "unpublish"])
def test_editor_posting_a_publishing_action_changes_nothing(as_editor, name):
    draft = factories.article(status="draft")
    live = factories.article()
    hidden = factories.project(is_published=False)
    assert action(as_editor, Article, name, [draft, live]).status_code == 200
    assert action(as_editor, Project, name, [hidden]).status_code == 200
    assert Article.objects.get(pk=draft.pk).status == "draft"
    assert Article.objects.get(pk=live.pk).status == "published"
    assert Project.objects.get(pk=hidden.pk).is_published is False
    assert not LogEntry.objects.exists()
