"""The review step: the state machine through the admin, notifications and their e-mail."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from cms.roles import EDITORS, PUBLISHERS
from news.models import Article
from portal.models import Project
from workflow import scheduling
from workflow.models import Notification, Review, ReviewStep, State

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "eddie", "eddie@example.org", "pw-for-tests", is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def publisher(django_user_model):
    user = django_user_model.objects.create_user(
        "paula", "paula@example.org", "pw-for-tests", is_staff=True
    )
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def project_form(project, **overrides):
    data = {
        "name": project.name,
        "slug": project.slug,
        "status": project.status,
        "summary": project.summary,
        "description": project.description,
        "website": "",
        "image_alt": "",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "Cluster_projects-TOTAL_FORMS": "0",
        "Cluster_projects-INITIAL_FORMS": "0",
    }
    if project.is_published:
        data["is_published"] = "on"
    data.update(overrides)
    return data


def post_step(client, obj, action, capture, **extra):
    with capture(execute=True):
        return client.post(change_url(obj), project_form(obj, _workflow=action, **extra))


def test_editor_submits_and_publishers_are_told(
    client, editor, publisher, django_capture_on_commit_callbacks
):
    project = factories.project(is_published=False)
    client.force_login(editor)
    response = post_step(client, project, "submit", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == change_url(project)
    review = Review.objects.get(object_id=project.pk)
    assert review.state == State.IN_REVIEW and review.submitted_by == editor
    step = ReviewStep.objects.get(review=review)
    assert (step.action, step.actor, step.from_state) == ("submit", editor, "draft")
    note = Notification.objects.get(recipient=publisher)
    assert note.kind == "submitted" and note.mail_state == "sent"
    assert [m.to for m in mail.outbox] == [["paula@example.org"]]
    assert project.name in mail.outbox[0].body and "eddie" in mail.outbox[0].body
    version = Version.objects.get_for_object(project).first()
    assert "Submitted for review by eddie." in version.revision.comment


def test_an_editor_cannot_approve_or_request_changes_even_by_post(
    client, editor, django_capture_on_commit_callbacks
):
    project = factories.project(is_published=False)
    client.force_login(editor)
    for action in ("approve", "schedule", "request_changes", "go_live", "nonsense"):
        response = post_step(
            client, project, action, django_capture_on_commit_callbacks, _workflow_comment="x"
        )
        assert response.status_code == 200, action
        assert response.context["adminform"].form.non_field_errors(), action
    project.refresh_from_db()
    assert not project.is_published
    assert not ReviewStep.objects.exists() and not Notification.objects.exists()


def test_the_whole_loop_on_a_project(client, editor, publisher, django_capture_on_commit_callbacks):
    project = factories.project(is_published=False)
    capture = django_capture_on_commit_callbacks
    client.force_login(editor)
    post_step(client, project, "submit", capture)
    client.force_login(publisher)
    # Request changes needs a comment.
    response = post_step(client, project, "request_changes", capture)
    assert "comment is required" in response.content.decode()
    response = post_step(
        client, project, "request_changes", capture, _workflow_comment="Add the <b>budget</b>."
    )
    assert response.status_code == 302
    review = Review.objects.get(object_id=project.pk)
    assert review.state == State.CHANGES_REQUESTED
    assert mail.outbox[-1].to == ["eddie@example.org"]
    assert "Add the <b>budget</b>." in mail.outbox[-1].body  # plain text
    # The editor sees it returned on the admin home, and resubmits.
    client.force_login(editor)
    home = client.get(reverse("admin:index")).content.decode()
    assert "Returned to me" in home and "Add the &lt;b&gt;budget&lt;/b&gt;." in home
    post_step(client, project, "submit", capture)
    client.force_login(publisher)
    home = client.get(reverse("admin:index")).content.decode()
    assert project.name in home.split("Waiting for my review")[1].split("</section>")[0]
    # Scheduled: not public until the worker's time comes.
    when = timezone.localtime() + timedelta(hours=2)
    response = post_step(
        client, project, "schedule", capture, _workflow_when=when.strftime("%Y-%m-%dT%H:%M")
    )
    assert response.status_code == 302
    project.refresh_from_db()
    review.refresh_from_db()
    assert not project.is_published and review.state == State.SCHEDULED
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduling.publish_due() == 0
        Review.objects.filter(pk=review.pk).update(scheduled_for=timezone.now())
        assert scheduling.publish_due() == 1
        assert scheduling.publish_due() == 0  # run again: nothing twice
    project.refresh_from_db()
    assert project.is_published
    assert Review.objects.get(pk=review.pk).state == State.PUBLISHED
    assert Notification.objects.filter(recipient=editor, kind="live").count() == 1
    assert "Now on the site, as scheduled" in mail.outbox[-1].body
    comments = [v.revision.comment for v in Version.objects.get_for_object(project)]
    assert "Published as scheduled (approved by paula)." in comments
    kinds = [n.kind for n in Notification.objects.filter(recipient=editor).order_by("pk")]
    assert kinds == ["changes_requested", "scheduled", "live"]
    assert len(mail.outbox) == 2 + 3  # two submissions to the publisher, three to the author


def test_article_scheduling_is_the_articles_own(
    client, editor, publisher, django_capture_on_commit_callbacks
):
    article = factories.article(status=Article.Status.DRAFT, published_at=None)
    review = Review.objects.create(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=article.pk,
        state=State.IN_REVIEW,
        submitted_by=editor,
    )
    client.force_login(publisher)
    when = timezone.localtime() + timedelta(days=1)
    data = {
        "title": article.title,
        "slug": article.slug,
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "lead": "",
        "body": article.body,
        "source": "",
        "source_url": "",
        "image_alt": "",
        "_workflow": "schedule",
        "_workflow_when": when.strftime("%Y-%m-%dT%H:%M"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "published" and not article.is_public
    assert article.published_at == when.replace(second=0, microsecond=0)
    review.refresh_from_db()
    assert review.state == State.SCHEDULED
    # The article appears by itself; the worker records it and tells the author.
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    Review.objects.filter(pk=review.pk).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduling.publish_due() == 1
    assert Notification.objects.filter(recipient=editor, kind="live").exists()


def test_lists_show_the_review_state_with_a_filter(client, editor, publisher):
    waiting = factories.project(is_published=False, name="Waiting project")
    returned = factories.project(is_published=False, name="Returned project")
    factories.project(is_published=False, name="Plain draft")
    factories.project(is_published=True, name="Live project")
    project_type = ContentType.objects.get_for_model(Project)
    Review.objects.create(content_type=project_type, object_id=waiting.pk, state=State.IN_REVIEW)
    Review.objects.create(
        content_type=project_type, object_id=returned.pk, state=State.CHANGES_REQUESTED
    )
    client.force_login(publisher)
    changelist = reverse("admin:portal_project_changelist")
    expected = {
        "in_review": {"Waiting project"},
        "changes_requested": {"Returned project"},
        "draft": {"Plain draft"},
        "published": {"Live project"},
        "scheduled": set(),
    }
    for state, names in expected.items():
        response = client.get(changelist, {"review": state})
        assert response.status_code == 200
        assert {p.name for p in response.context["cl"].result_list} == names, state
    page = client.get(changelist).content.decode()
    assert "In review" in page and "Changes requested" in page
    # An unknown value lists nothing rather than failing.
    assert client.get(changelist, {"review": "nonsense"}).status_code == 200


def test_publishing_by_the_tick_box_is_a_step_and_tells_the_author(
    client, editor, publisher, django_capture_on_commit_callbacks
):
    project = factories.project(is_published=False)
    client.force_login(editor)
    post_step(client, project, "submit", django_capture_on_commit_callbacks)
    client.force_login(publisher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(project), project_form(project, is_published="on"))
    assert response.status_code == 302
    review = Review.objects.get(object_id=project.pk)
    assert review.state == State.PUBLISHED
    assert review.steps.first().action == "publish"
    assert Notification.objects.get(recipient=editor).kind == "approved"


def test_authors_are_reminded_weekly_of_entries_past_their_review_date(
    editor, django_capture_on_commit_callbacks
):
    project = factories.project(is_published=True, name="Ageing project")
    review = Review.objects.create(
        content_type=ContentType.objects.get_for_model(Project),
        object_id=project.pk,
        state=State.PUBLISHED,
        submitted_by=editor,
        review_by=timezone.localdate() - timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduling.remind_review_due() == 1
        assert scheduling.remind_review_due() == 0  # not again within the week
    assert (
        "Due for review since" in mail.outbox[-1].body and "Ageing project" in mail.outbox[-1].body
    )
    # A week later: reminded again.
    later = timezone.localdate() + timedelta(days=7)
    Review.objects.filter(pk=review.pk).update(reminded_at=timezone.now() - timedelta(days=7))
    with (
        mock.patch("workflow.scheduling.timezone.localdate", return_value=later),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert scheduling.remind_review_due() == 1
    assert Notification.objects.filter(kind="review_due", recipient=editor).count() == 2
    assert len(mail.outbox) == 2
