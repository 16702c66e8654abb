"""No choice an editor may not use; publishing sets the time unless one was typed."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from news.models import Article
from portal.models import Project

from .. import factories
from .helpers import article_form, logged_in, url

pytestmark = pytest.mark.django_db


# No choice an editor may not use ------------------------------------------------------------


def test_editor_is_offered_no_published_status_nor_publish_action(editor, publisher):
    draft = factories.article(status="draft", published_at=None)
    live = factories.project()
    client = logged_in(editor)
    for page in (url(Article, "add"), url(Article, "change", draft.pk)):
        form = client.get(page).content.decode()
        assert 'value="published"' not in form and '<select name="status"' not in form
        assert re.search(r'<output class="locked-state" id="id_status">Draft</output>', form)
    form = client.get(url(Project, "change", live.pk)).content.decode()
    assert 'type="checkbox" name="is_published"' not in form
    assert (
        '<output class="locked-state" id="id_is_published">Published on the site</output>' in form
    )
    assert '<input type="hidden" name="is_published" value="on">' in form
    # Laid out as a field with its label first, not as a tick box with the label after.
    assert re.search(r'<label for="id_is_published"[^>]*>Published:</label>\s*<output', form)
    # Nor the time of a published article, which only publishers may move.
    published = factories.article(published_at=timezone.now() + timedelta(days=2))
    form = client.get(url(Article, "change", published.pk)).content.decode()
    assert not re.search(r'<input type="text" name="published_at_[01]"', form)
    assert re.search(r'<output class="locked-state" id="id_published_at">[^<]+</output>', form)
    assert re.search(r'<input type="hidden" name="published_at_0" value="\d{4}-\d\d-\d\d"', form)
    draft_form = client.get(url(Article, "change", draft.pk)).content.decode()
    assert '<input type="text" name="published_at_0"' in draft_form  # a draft's time is free
    listing = client.get(url(Article, "changelist")).content.decode()
    assert "publish_now" not in listing and 'name="action"' not in listing
    # A publisher has both.
    client = logged_in(publisher)
    form = client.get(url(Article, "change", draft.pk)).content.decode()
    assert '<option value="published">Published</option>' in form
    assert (
        'type="checkbox" name="is_published"'
        in client.get(url(Project, "change", live.pk)).content.decode()
    )
    assert 'value="publish_now"' in client.get(url(Article, "changelist")).content.decode()


def test_editor_saving_an_unchanged_published_project_keeps_it_published(editor):
    project = factories.project(name="Live project")
    client = logged_in(editor)
    form = client.get(url(Project, "change", project.pk)).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "is_published"}
    data.update(
        {
            "summary": "Corrected summary.",
            "is_published": "on",  # the hidden input of the locked field
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "Cluster_projects-TOTAL_FORMS": "0",
            "Cluster_projects-INITIAL_FORMS": "0",
            "parks": [],
        }
    )
    response = client.post(url(Project, "change", project.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert (project.summary, project.is_published) == ("Corrected summary.", True)


# Publishing sets the time -------------------------------------------------------------------


def test_a_draft_has_no_time_until_one_is_typed(editor):
    client = logged_in(editor)
    assert client.post(url(Article, "add"), article_form()).status_code == 302
    assert Article.objects.get().published_at is None


def test_publishing_by_switching_the_status_sets_now_unless_a_time_was_typed(publisher):
    started = timezone.now() - timedelta(days=5)
    with mock.patch("django.utils.timezone.now", return_value=started):
        draft = factories.article(status="draft", published_at=None, slug="draft-one")
    typed = factories.article(
        status="draft", published_at=started + timedelta(days=30), slug="draft-two"
    )
    client = logged_in(publisher)
    now = timezone.now().replace(microsecond=0)
    with mock.patch("django.utils.timezone.now", return_value=now):
        response = client.post(
            url(Article, "change", draft.pk),
            article_form(title=draft.title, slug=draft.slug, status="published"),
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == ("published", now)
    when = timezone.localtime(typed.published_at)
    response = client.post(
        url(Article, "change", typed.pk),
        article_form(
            title=typed.title,
            slug=typed.slug,
            status="published",
            published_at_0=when.strftime("%Y-%m-%d"),
            published_at_1=when.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    typed.refresh_from_db()
    assert typed.published_at == when.replace(microsecond=0)
    assert Article.objects.scheduled().filter(pk=typed.pk).exists()


def test_publish_action_sets_now_for_a_draft_without_a_time(publisher):
    draft = factories.article(status="draft", published_at=None)
    now = timezone.now().replace(microsecond=0)
    with mock.patch("django.utils.timezone.now", return_value=now):
        response = logged_in(publisher).post(
            url(Article, "changelist"),
            {"action": "publish_now", "_selected_action": [draft.pk], "index": "0"},
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == ("published", now)


def test_staff_preview_of_a_draft_without_a_time(editor):
    draft = factories.article(status="draft", published_at=None, slug="timeless")
    page = logged_in(editor).get(draft.get_absolute_url()).content.decode()
    assert "Not published yet" in page and 'datetime=""' not in page


def test_a_published_article_always_has_a_time():
    article = factories.article(status="published", published_at=None)
    assert article.published_at is not None and article.is_public

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)
