"""Content health: each kind of problem listed for content made to have it, with a link to the
entry to fix; the link checker against a local server, politely."""

import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from news.models import Article
from portal.models import Project
from workflow import linkcheck
from workflow.models import HealthReport, LinkCheck, Review, State

from . import factories

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    asked = []

    def do_HEAD(self):
        Handler.asked.append(self.path)
        if self.path.startswith("/gone"):
            self.send_response(404)
        elif self.path.startswith("/no-head"):
            self.send_response(405)
        else:
            self.send_response(200)
        self.end_headers()

    def do_GET(self):
        Handler.asked.append("GET " + self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    settings.LINKCHECK_ALLOW_PRIVATE = True
    Handler.asked = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_the_link_checker_stores_answers_and_is_polite(server, settings):
    factories.article(body=f"See [the report]({server}/gone/report.pdf) and {server}/fine.")
    factories.project(is_published=True, website=f"{server}/no-head")
    factories.article(status=Article.Status.DRAFT, body=f"{server}/draft-only")  # not published
    assert linkcheck.run() == 3
    checks = {c.url.removeprefix(server): c for c in LinkCheck.objects.all()}
    assert set(checks) == {"/gone/report.pdf", "/fine", "/no-head"}
    assert checks["/gone/report.pdf"].status_code == 404 and checks["/gone/report.pdf"].ok is False
    assert checks["/fine"].ok and checks["/no-head"].status_code == 200  # GET after a 405
    assert checks["/fine"].checked_at is not None
    # Checked once a day: a second run asks nothing.
    assert linkcheck.run() == 0
    # A host that does not answer is left alone for a day.
    dead = "http://127.0.0.1:9"  # discard port: connection refused
    factories.article(body=f"{dead}/a and {dead}/b")
    assert linkcheck.run() == 1
    dead_checks = LinkCheck.objects.filter(host="127.0.0.1", url__startswith=dead)
    assert dead_checks.filter(checked_at__isnull=False).count() == 1
    assert dead_checks.get(checked_at__isnull=False).error
    assert linkcheck.run() == 0  # the other address waits


def test_private_addresses_are_refused_by_default(server, settings):
    settings.LINKCHECK_ALLOW_PRIVATE = False
    factories.article(body=f"{server}/fine")
    assert linkcheck.run() == 0
    assert Handler.asked == []
    assert LinkCheck.objects.get().error == "private address refused"


def test_the_dashboard_lists_each_kind_of_problem(admin_client, server, settings):
    # Missing Russian text.
    untranslated = factories.article(title="Only in English")
    # A picture without alt text.
    pictured = factories.project(is_published=True, name="Pictured project")
    Project.objects.filter(pk=pictured.pk).update(
        image="projects/x.jpg", image_alt_en="", image_alt_ru=""
    )
    # Past its review date.
    stale = factories.project(is_published=True, name="Stale project", name_ru="Старый проект")
    Review.objects.create(
        content_type=ContentType.objects.get_for_model(Project),
        object_id=stale.pk,
        state=State.PUBLISHED,
        review_by=date.today() - timedelta(days=3),
    )
    # Scheduled for the next 7 days: an article by its own time, a project by its review.
    soon = factories.article(title="Coming soon", published_at=timezone.now() + timedelta(days=2))
    later = factories.project(is_published=False, name="Opening project")
    Review.objects.create(
        content_type=ContentType.objects.get_for_model(Project),
        object_id=later.pk,
        state=State.SCHEDULED,
        scheduled_for=timezone.now() + timedelta(days=3),
    )
    # A broken link.
    linking = factories.article(title="Linking article", body=f"{server}/gone/x")
    linkcheck.run()
    response = admin_client.get(reverse("workflow_admin:health"))
    assert response.status_code == 200
    assert HealthReport.objects.exclude(computed_at=None).count() == 1
    sections = {s["name"]: s["rows"] for s in response.context["sections"]}

    def listed(kind, obj):
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        return any(row["url"] == url for row in sections[kind])

    assert listed("missing_text", untranslated)
    assert listed("missing_alt", pictured)
    assert listed("review_overdue", stale)
    assert listed("scheduled", soon) and listed("scheduled", later)
    assert listed("broken_links", linking)
    page = response.content.decode()
    assert "/gone/x" in page and "404" in page
    # Empty public sections (no park is published) are listed too.
    assert "Empty public sections" in page and response.context["hidden_sections"]
    # Kept until content changes: the next look computes nothing.
    admin_client.get(reverse("workflow_admin:health"))
    assert HealthReport.objects.count() == 1


def test_the_report_waits_for_the_worker_with_the_database_queue(admin_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = admin_client.get(reverse("workflow_admin:health"))
    assert response.status_code == 200 and response.context["pending"]
    assert "The check is running" in response.content.decode()
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path="workflow.tasks.compute_health").count() == 1
    admin_client.get(reverse("workflow_admin:health"))
    assert DBTaskResult.objects.filter(task_path="workflow.tasks.compute_health").count() == 1
