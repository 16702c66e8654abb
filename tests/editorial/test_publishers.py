"""What a publisher does: publish by saving or by actions, delete after confirmation;
scheduled articles appear by themselves."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.utils import timezone

from news.models import Article
from portal.models import Project

from .. import factories
from .helpers import TOMSK, action, article_data, history, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_publisher(client, publisher):
    client.force_login(publisher)
    return client


# Publishers ---------------------------------------------------------------------------------


def test_publisher_publishes_by_saving(as_publisher):
    article = factories.article(status="draft")
    response = as_publisher.post(
        url(Article, "change", article.pk), article_data(article, status="published")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "published"
    assert history(article) == [(CHANGE, "paula")]


def test_publish_now_and_unpublish_actions_log_each_object(as_publisher):
    now = timezone.now().replace(microsecond=0)
    old_draft = factories.article(status="draft", published_at=now - timedelta(days=400))
    scheduled = factories.article(published_at=now + timedelta(days=3))
    with mock.patch("django.utils.timezone.now", return_value=now):
        response = action(as_publisher, Article, "publish_now", [old_draft, scheduled])
    assert response.status_code == 302
    old_draft.refresh_from_db()
    scheduled.refresh_from_db()
    # An old draft keeps its date; a scheduled article is brought forward to now.
    assert (old_draft.status, old_draft.published_at) == ("published", now - timedelta(days=400))
    assert (scheduled.status, scheduled.published_at) == ("published", now)
    assert history(old_draft) == [(CHANGE, "paula")]
    entry = LogEntry.objects.get(object_id=str(scheduled.pk))
    assert entry.get_change_message() == "Changed Status and Publication time."

    action(as_publisher, Article, "unpublish", [old_draft])
    old_draft.refresh_from_db()
    assert old_draft.status == "draft"
    assert history(old_draft) == [(CHANGE, "paula"), (CHANGE, "paula")]
    page = as_publisher.get(url(Article, "history", old_draft.pk))
    assert page.status_code == 200
    assert "Changed Status." in page.content.decode()


def test_directory_actions_publish_and_hide_with_history(as_publisher):
    hidden = factories.project(is_published=False)
    shown = factories.project()
    action(as_publisher, Project, "publish_now", [hidden, shown])
    hidden.refresh_from_db()
    assert hidden.is_published is True
    assert history(hidden) == [(CHANGE, "paula")]
    assert history(shown) == []  # already published: nothing changed, nothing logged
    action(as_publisher, Project, "unpublish", [hidden, shown])
    assert Project.objects.filter(is_published=True).count() == 0
    assert history(shown) == [(CHANGE, "paula")]


def test_publisher_deletes_after_confirmation(as_publisher):
    article = factories.article(title="Obsolete")
    page = as_publisher.get(url(Article, "delete", article.pk))
    assert page.status_code == 200
    assert "Are you sure" in page.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()
    response = as_publisher.post(url(Article, "delete", article.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert history(article) == [(DELETION, "paula")]


def test_bulk_delete_asks_first(as_publisher):
    project = factories.project()
    page = action(as_publisher, Project, "delete_selected", [project])
    assert page.status_code == 200
    assert "Are you sure" in page.content.decode()
    assert Project.objects.filter(pk=project.pk).exists()


# Scheduled publishing -----------------------------------------------------------------------


def test_scheduled_article_appears_by_itself_at_its_time():
    at = datetime(2026, 12, 1, 9, 0, tzinfo=TOMSK)
    article = factories.article(published_at=at, title="Scheduled")
    draft = factories.article(published_at=at - timedelta(days=1), status="draft")

    def visible():
        return list(Article.objects.published().filter(pk__in=[article.pk, draft.pk]))

    with mock.patch("django.utils.timezone.now", return_value=at - timedelta(microseconds=1)):
        assert visible() == []
        assert list(Article.objects.scheduled()) == [article]
        assert not article.is_public
    with mock.patch("django.utils.timezone.now", return_value=at):
        assert visible() == [article]
        assert list(Article.objects.scheduled()) == []
        assert article.is_public
    with mock.patch("django.utils.timezone.now", return_value=at + timedelta(days=365)):
        assert visible() == [article]  # the draft never appears by itself


def test_admin_list_says_draft_scheduled_or_published(as_publisher):
    now = timezone.now()
    factories.article(title="A draft", status="draft")
    factories.article(title="A future one", published_at=now + timedelta(hours=1))
    factories.article(title="A live one", published_at=now - timedelta(hours=1))
    content = as_publisher.get(url(Article, "changelist")).content.decode()
    for word in ("Draft", "Scheduled", "Published"):
        assert f'<td class="field-publication">{word}</td>' in content
