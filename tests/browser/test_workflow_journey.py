"""The review loop in a real browser, with the tasks run by the worker (the database queue):
an editor submits a draft, a publisher asks for changes, the editor fixes and resubmits, the
publisher schedules it, the worker publishes it and the author is told; every e-mail is
checked in the outbox. A reviewer without an account opens a signed preview link in a fresh
browser; revoked, expired and altered links are 404s that show nothing of the draft."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-workflow-journey"
SECRET = "A draft sentence that only reviewers may read"


def log_in(tab, username):
    page = tab.page
    tab.goto("/admin/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('#login-form [type="submit"]').click()
    page.wait_for_url(tab.url("/admin/"))


def worker():
    """One round of `manage.py run_worker`: what is due, then every queued task."""
    call_command("run_worker", "--once")


def press(tab, action):
    tab.page.locator(f'button[name="_workflow"][value="{action}"]').click()
    tab.page.wait_for_load_state()


def test_the_review_loop_with_mail_and_a_preview_link(site, open_tab, django_user_model, settings):
    from django.apps import apps
    from django.contrib.auth.models import Group

    from cms.roles import sync_groups
    from portal.models import Project
    from workflow.models import PreviewLink, Review, State

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Browser tests run with a flushed database: the groups the migrations made are gone.
    sync_groups(apps)
    editor = django_user_model.objects.create_user(
        "eddie", "eddie@example.org", PASSWORD, is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    publisher = django_user_model.objects.create_user(
        "paula", "paula@example.org", PASSWORD, is_staff=True
    )
    publisher.groups.add(Group.objects.get(name="Publishers"))
    project = Project.objects.create(
        name="Tomsk hydrogen testbed",
        slug="tomsk-hydrogen-testbed",
        summary=SECRET,
        is_published=False,
    )
    change = f"/admin/portal/project/{project.pk}/change/"
    public = f"/projects/{project.slug}/"
    outbox = []

    def expect_mail(to, *words):
        worker()
        assert len(mail.outbox) == len(outbox) + 1, [m.subject for m in mail.outbox]
        message = mail.outbox[-1]
        assert message.to == [to]
        for word in words:
            assert word in message.body, (word, message.body)
        outbox.append(message)

    eddie = open_tab()
    log_in(eddie, "eddie")
    eddie.goto(change)
    press(eddie, "submit")
    assert "Submitted for review by eddie" in eddie.page.content()
    expect_mail("paula@example.org", "For review:", "Tomsk hydrogen testbed", "submitted by eddie")

    paula = open_tab()
    log_in(paula, "paula")
    waiting = paula.page.locator("section[aria-labelledby=waiting-title]")
    assert "Tomsk hydrogen testbed" in waiting.inner_text()
    waiting.get_by_role("link", name="Tomsk hydrogen testbed").click()
    # A preview link for an outside reviewer, opened in a browser with no account.
    paula.page.locator("#id__preview_days").fill("3")
    paula.page.get_by_role("button", name="Make a preview link").click()
    address = paula.page.locator("#preview-address").input_value()
    assert "/preview/" in address
    reviewer = open_tab()
    response = reviewer.page.goto(address)
    assert response.status == 200 and response.headers["referrer-policy"] == "no-referrer"
    assert "no-store" in response.headers["cache-control"]
    assert SECRET in reviewer.page.content()
    assert "Preview, not published" in reviewer.page.locator(".preview-banner").inner_text()
    assert reviewer.goto(public, status=404)  # the public address is not the preview
    # Altered, expired and revoked links: the site's 404, nothing of the draft.
    token = address.rsplit("/preview/", 1)[1].strip("/")
    for bad in (token[:-2] + "xy", token + "A"):
        page = reviewer.goto(f"/preview/{bad}/", status=404)
        assert SECRET not in reviewer.page.content() and page.status == 404
    PreviewLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    reviewer.goto(address.split(reviewer.base_url, 1)[1], status=404)
    assert SECRET not in reviewer.page.content()
    PreviewLink.objects.update(expires_at=timezone.now() + timedelta(days=1))
    assert open_tab().page.goto(address).status == 200
    paula.goto(change)
    paula.page.get_by_role("button", name="Revoke").click()
    paula.page.wait_for_load_state()
    fresh = open_tab()
    assert fresh.page.goto(address).status == 404
    assert SECRET not in fresh.page.content()

    # The publisher asks for changes, with a comment.
    paula.goto(change)
    paula.page.locator("#id__workflow_comment").fill("Name the partners in the summary.")
    press(paula, "request_changes")
    expect_mail("eddie@example.org", "Changes requested by paula", "Name the partners")

    eddie.goto("/admin/")
    returned = eddie.page.locator("section[aria-labelledby=returned-title]")
    assert "Name the partners" in returned.inner_text()
    returned.get_by_role("link", name="Tomsk hydrogen testbed").click()
    eddie.page.locator("#id_summary").fill(SECRET + " Partners: TPU and TSU.")
    press(eddie, "submit")
    expect_mail("paula@example.org", "For review:", "submitted by eddie")

    # Scheduled a few seconds ahead; the worker publishes it when the time comes.
    paula.goto(change)
    when = timezone.localtime() + timedelta(seconds=4)
    paula.page.locator("#id__workflow_when").fill(when.strftime("%Y-%m-%dT%H:%M:%S"))
    press(paula, "schedule")
    assert Review.objects.get(object_id=project.pk).state == State.SCHEDULED
    expect_mail("eddie@example.org", "Scheduled for", "approved by paula")
    project.refresh_from_db()
    assert not project.is_published
    open_tab().goto(public, status=404)
    time.sleep(max(0.0, (when - timezone.localtime()).total_seconds()) + 0.5)
    expect_mail("eddie@example.org", "Now on the site, as scheduled", "Tomsk hydrogen testbed")
    project.refresh_from_db()
    assert project.is_published and "Partners: TPU and TSU." in project.summary
    visitor = open_tab()
    visitor.goto(public)
    assert "Partners: TPU and TSU." in visitor.page.content()
    # The author sees it among the notifications; nothing more was sent.
    eddie.goto("/admin/")
    notes = eddie.page.locator("section[aria-labelledby=notifications-title]").inner_text()
    assert "Now on the site, as scheduled" in notes
    worker()
    assert len(mail.outbox) == len(outbox) == 5
    assert [m.to[0] for m in mail.outbox] == [
        "paula@example.org",
        "eddie@example.org",
        "paula@example.org",
        "eddie@example.org",
        "eddie@example.org",
    ]
    for tab in (eddie, paula, reviewer):
        assert tab.problems == [], tab.problems
