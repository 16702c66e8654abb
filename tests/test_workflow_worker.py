"""Notifications' e-mail and the worker: the database queue run by `run_worker`, retries with
backoff, failures visible to staff, no e-mail twice, a worker killed mid-task."""

from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms.roles import EDITORS, sync_groups
from workflow import email_url, notify
from workflow.mail import MAX_ATTEMPTS, deliver, queue_due
from workflow.models import Notification, Review, State, UserPreference

from . import factories

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def author(django_user_model):
    # The groups come from migrations; a transactional test earlier in the run flushes them.
    sync_groups(django_apps)
    user = django_user_model.objects.create_user("eddie", "eddie@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def review_of(obj, author, **fields):
    return Review.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        submitted_by=author,
        **fields,
    )


def notification(author, review, key="k1", **fields):
    return Notification.objects.create(
        key=key,
        recipient=author,
        kind="changes_requested",
        review=review,
        actor_name="paula",
        comment="Shorten the lead.",
        link="/admin/x/",
        **fields,
    )


def test_email_url():
    assert email_url.parse("")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = email_url.parse("smtp://me%40x.org:p%3Ass@mail.example.org:2525?tls=1&timeout=3")
    assert smtp["EMAIL_HOST"] == "mail.example.org" and smtp["EMAIL_PORT"] == 2525
    assert smtp["EMAIL_HOST_USER"] == "me@x.org" and smtp["EMAIL_HOST_PASSWORD"] == "p:ss"
    assert smtp["EMAIL_USE_TLS"] and not smtp["EMAIL_USE_SSL"] and smtp["EMAIL_TIMEOUT"] == 3
    assert email_url.parse("smtp://h?ssl=1")["EMAIL_PORT"] == 465
    for bad in ("ftp://x", "smtp://", "smtp://h:port", "smtp://h?tls=1&ssl=1"):
        with pytest.raises(ValueError):
            email_url.parse(bad)


@pytest.mark.django_db
def test_language_opt_out_and_no_draft_text_without_permission(author, django_user_model):
    project = factories.project(is_published=False, name="Secret plant", name_ru="Тайный завод")
    review = review_of(project, author)
    UserPreference.objects.create(user=author, language="ru")
    assert deliver(notification(author, review).pk) == "sent"
    message = mail.outbox[-1]
    assert "Нужны правки" in message.body and "«Тайный завод»" in message.body
    assert "Shorten the lead." in message.body and "ИНО Томск" in message.subject
    # Once sent, never again.
    assert deliver(Notification.objects.get().pk) == "sent" and len(mail.outbox) == 1
    # E-mail off: nothing sent, the notification stays in the admin.
    UserPreference.objects.filter(user=author).update(email_enabled=False)
    assert deliver(notification(author, review, key="k2").pk) == "off"
    assert len(mail.outbox) == 1
    # A reader without the permission reads the kind only, never the draft's text.
    outsider = django_user_model.objects.create_user(
        "olga", "olga@example.org", "pw", is_staff=True
    )
    assert deliver(notification(outsider, review, key="k3").pk) == "sent"
    body = mail.outbox[-1].body
    assert "Secret plant" not in body and "Shorten the lead." not in body and "Project" in body


@pytest.mark.django_db
def test_notifications_are_made_once_per_event_and_recipient(
    author, django_capture_on_commit_callbacks
):
    project = factories.project()
    review = review_of(project, author)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify.create(author, "live", key="live:1", review=review)
        again = notify.create(author, "live", key="live:1", review=review)
    assert first is not None and again is None
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_send_is_retried_with_backoff_then_shown_to_staff(author, admin_client):
    review = review_of(factories.project(), author)
    pk = notification(author, review).pk
    with mock.patch("workflow.mail.send_mail", side_effect=OSError("connection refused")):
        assert deliver(pk) == "pending"
        failed = Notification.objects.get(pk=pk)
        assert failed.mail_attempts == 1 and "connection refused" in failed.mail_error
        assert failed.mail_next_at > timezone.now() + timedelta(seconds=50)
        assert deliver(pk) == "pending"  # not due yet: nothing tried
        assert Notification.objects.get(pk=pk).mail_attempts == 1
        for _attempt in range(MAX_ATTEMPTS - 1):
            Notification.objects.filter(pk=pk).update(mail_next_at=timezone.now())
            queue_due()
    failed = Notification.objects.get(pk=pk)
    assert failed.mail_state == "failed" and failed.mail_attempts == MAX_ATTEMPTS
    assert mail.outbox == []
    listing = admin_client.get(
        reverse("admin:workflow_notification_changelist") + "?mail_state__exact=failed"
    )
    assert listing.status_code == 200 and "eddie" in listing.content.decode()
    # Staff send it again.
    admin_client.post(
        reverse("admin:workflow_notification_changelist"),
        {"action": "send_again", "_selected_action": [pk], "index": "0"},
    )
    assert Notification.objects.get(pk=pk).mail_state == "sent" and len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_editors_save_never_fails_for_the_email(
    client, author, django_capture_on_commit_callbacks, django_user_model
):
    publisher = django_user_model.objects.create_user(
        "paula", "paula@example.org", "pw", is_staff=True
    )
    publisher.groups.add(Group.objects.get(name="Publishers"))
    project = factories.project(is_published=False)
    client.force_login(author)
    data = {
        "name": project.name,
        "slug": project.slug,
        "status": project.status,
        "summary": "",
        "description": "",
        "website": "",
        "image_alt": "",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "Cluster_projects-TOTAL_FORMS": "0",
        "Cluster_projects-INITIAL_FORMS": "0",
        "_workflow": "submit",
    }
    failing = mock.patch("workflow.mail.send_mail", side_effect=OSError("SMTP down"))
    with failing, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:portal_project_change", args=[project.pk]), data)
    assert response.status_code == 302
    assert Notification.objects.get(recipient=publisher).mail_state == "pending"


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_queue_and_recovers_a_killed_task(author, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_QUEUE
    project = factories.project(is_published=False)
    review = review_of(project, author, state=State.SCHEDULED, scheduled_for=timezone.now())
    note = notification(author, review, key="queued")
    from workflow.mail import queue_mail

    queue_mail(note.pk)
    assert mail.outbox == [] and DBTaskResult.objects.ready().count() == 1
    call_command("run_worker", "--once")
    project.refresh_from_db()
    assert project.is_published  # publish-due ran as a periodic job
    assert Review.objects.get(pk=review.pk).state == State.PUBLISHED
    sent = sorted(m.subject for m in mail.outbox)
    assert len(sent) == 2  # the queued e-mail and "now on the site"
    assert not DBTaskResult.objects.ready().exists() and not DBTaskResult.objects.failed().exists()
    # A worker killed while sending: its task is "running" for good, its claim outstanding.
    note2 = notification(author, review, key="killed")
    queue_mail(note2.pk)
    task = DBTaskResult.objects.ready().get()
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=timezone.now() - timedelta(hours=1)
    )
    Notification.objects.filter(pk=note2.pk).update(
        mail_state="sending", mail_attempts=1, mail_next_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("run_worker", "--once")
    assert DBTaskResult.objects.get(pk=task.pk).status == "SUCCESSFUL"
    assert Notification.objects.get(pk=note2.pk).mail_state == "sent"
    assert len(mail.outbox) == 3


def test_health_hook_counts_the_queue(settings, transactional_db):
    from workflow.tasks import queue_status

    settings.TASKS = DATABASE_QUEUE
    from workflow.tasks import check_links

    check_links.enqueue()
    assert queue_status() == {"depth": 1, "failures": 0}


@pytest.mark.django_db
def test_each_user_sets_their_own_email_language_and_opt_out(client, author, django_user_model):
    other = django_user_model.objects.create_user("olga", "olga@example.org", "pw", is_staff=True)
    theirs = UserPreference.objects.create(user=other, language="en")
    client.force_login(author)
    mine = client.get(reverse("admin:workflow_userpreference_mine"))
    assert mine.status_code == 302
    form = client.get(mine["Location"])
    assert form.status_code == 200 and "e-mail me" in form.content.decode().lower()
    response = client.post(mine["Location"], {"language": "ru"})  # "e-mail me" unticked
    assert response.status_code == 302
    saved = UserPreference.objects.get(user=author)
    assert saved.language == "ru" and not saved.email_enabled
    # Someone else's settings: seen by nobody but them (and those given the permission).
    url = reverse("admin:workflow_userpreference_change", args=[theirs.pk])
    assert client.post(url, {"language": "ru", "email_enabled": "on"}).status_code in (302, 403)
    assert UserPreference.objects.get(pk=theirs.pk).language == "en"
    listing = client.get(reverse("admin:workflow_userpreference_changelist")).content.decode()
    assert "olga" not in listing and "eddie" in listing


@pytest.mark.django_db(transaction=True)
def test_a_stopped_worker_finishes_its_task_then_exits(settings):
    from django_tasks_db.models import DBTaskResult

    from workflow import tasks, worker

    settings.TASKS = DATABASE_QUEUE
    tasks.check_links.enqueue()
    tasks.deliver_due_mail.enqueue()

    def stopped_meanwhile():
        worker.request_stop()  # as SIGTERM would, while this task runs
        return 0

    with mock.patch("workflow.linkcheck.run", side_effect=stopped_meanwhile):
        call_command("run_worker", "--interval", "0.1")  # returns: no --once needed
    runs = DBTaskResult.objects.filter(task_path="workflow.tasks.check_links")
    assert runs.order_by("enqueued_at").first().status == "SUCCESSFUL"
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    assert DBTaskResult.objects.ready().exists()  # the rest waits for the next worker
    worker.reset_stop()
