"""Large spreadsheet imports done by the worker (the database task backend): confirmed in the
admin, imported in one transaction, the outcome on the import page; a failing row or a run
that dies midway writes nothing, and the import runs again."""

import csv
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.models import SpreadsheetImport
from portal.models import Park, ParkType, Stakeholder
from workflow.models import PeriodicJob

from . import factories

# The worker closes the connection between tasks, as in production: real transactions.
pytestmark = pytest.mark.django_db(transaction=True)
TASK_PATH = "cms.queued_imports.run_spreadsheet_import"


@pytest.fixture
def queued(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_PREVIEW_DIR = str(tmp_path / "previews")
    settings.IMPORT_QUEUE_ROWS = 20  # 300 by default; the same code path, fewer rows


def url(model, view):
    return reverse(f"admin:portal_{model._meta.model_name}_{view}")


def csv_file(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile("partners.csv", out.getvalue().encode(), content_type="text/csv")


def preview_and_confirm(client, model, rows):
    response = client.post(
        url(model, "import"), {"import_file": csv_file(rows), "format": "0", "resource": "0"}
    )
    form = response.context["confirm_form"]  # the preview found no error
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(url(model, "process_import"), data)


def stakeholders(count):
    return [["slug", "name_en", "name_ru"]] + [
        [f"partner-{n}", f"Partner {n}", f"Партнёр {n}"] for n in range(count)
    ]


def test_a_large_import_is_queued_and_done_by_the_worker_in_one_go(admin_client, queued):
    response = preview_and_confirm(admin_client, Stakeholder, stakeholders(25))

    assert response.status_code == 302 and response["Location"] == url(Stakeholder, "import")
    assert not Stakeholder.objects.exists()  # the request wrote no entry
    job = SpreadsheetImport.objects.get()
    assert (job.state, job.rows, job.file_name) == ("queued", 25, "partners.csv")
    assert DBTaskResult.objects.ready().filter(task_path=TASK_PATH).count() == 1
    page = admin_client.get(response["Location"]).content.decode()
    assert "The import of 25 rows is queued" in page and "25 rows, waiting for the worker" in page

    call_command("run_worker", "--once")

    assert Stakeholder.objects.count() == 25
    assert Stakeholder.objects.get(slug="partner-7").name_ru == "Партнёр 7"
    job.refresh_from_db()
    assert job.state == "done" and job.totals["new"] == 25 and bytes(job.data) == b""
    assert LogEntry.objects.filter(change_message__contains="new").count() == 25
    page = admin_client.get(url(Stakeholder, "import")).content.decode()
    assert "25 rows: 25 new, 0 changed, 0 unchanged." in page
    # Run again (a retry, a second worker): nothing is imported twice.
    assert DBTaskResult.objects.get(task_path=TASK_PATH).return_value == "done"
    DBTaskResult.objects.filter(task_path=TASK_PATH).update(status="READY")
    call_command("run_worker", "--once")
    assert Stakeholder.objects.count() == 25 and LogEntry.objects.count() == 25


def test_a_small_import_is_still_done_in_the_request(admin_client, queued):
    response = preview_and_confirm(admin_client, Stakeholder, stakeholders(20))
    assert response.status_code == 302 and Stakeholder.objects.count() == 20
    assert not SpreadsheetImport.objects.exists()
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()


def test_a_row_failing_in_the_worker_leaves_nothing_written(admin_client, queued):
    factories.park_type(slug="science")
    factories.park_type(slug="industrial")
    rows = [["slug", "name_en", "park_type"]]
    rows += [[f"park-{n}", f"Park {n}", "science"] for n in range(24)]
    rows.append(["last-park", "Last park", "industrial"])
    preview_and_confirm(admin_client, Park, rows)
    # Between the confirmation and the worker, someone renames the last row's park type.
    ParkType.objects.filter(slug="industrial").update(slug="renamed")

    call_command("run_worker", "--once")

    assert not Park.objects.exists()  # not even the 24 valid rows
    job = SpreadsheetImport.objects.get()
    assert job.state == "failed" and "Row 25" in job.errors and "industrial" in job.errors
    page = admin_client.get(url(Park, "import")).content.decode()
    assert "Nothing was imported." in page and "Row 25" in page


def test_a_row_crashing_midway_rolls_back_the_rows_before_it(admin_client, queued):
    preview_and_confirm(admin_client, Stakeholder, stakeholders(25))
    saved = Stakeholder.save
    calls = []

    def crashes_at_the_tenth_row(self, *args, **kwargs):
        calls.append(self.slug)
        if len(calls) == 10:
            raise MemoryError("out of memory")
        return saved(self, *args, **kwargs)

    with mock.patch.object(Stakeholder, "save", crashes_at_the_tenth_row):
        call_command("run_worker", "--once")

    assert len(calls) > 10 and not Stakeholder.objects.exists()  # nine were saved, then undone
    job = SpreadsheetImport.objects.get()
    assert job.state == "failed" and "Row 10" in job.errors and "out of memory" in job.errors


def test_a_failed_or_killed_run_writes_nothing_and_the_import_runs_again(admin_client, queued):
    preview_and_confirm(admin_client, Stakeholder, stakeholders(25))

    gone = OperationalError("the database went away")
    with mock.patch("cms.queued_imports._import", side_effect=gone):
        call_command("run_worker", "--once")

    assert not Stakeholder.objects.exists()
    job = SpreadsheetImport.objects.get()
    assert job.state == "queued" and job.attempts == 1
    first, retry = DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at")
    assert first.return_value == "queued" and retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.status == "READY" and retry.run_after > timezone.now() + timedelta(seconds=50)
    # The retry's worker is killed outright: its task stays "running" until a worker puts it
    # back (workflow.worker.requeue_stale), its transaction never committed.
    DBTaskResult.objects.filter(pk=retry.pk).update(
        status="RUNNING", started_at=timezone.now() - timedelta(hours=1), run_after=timezone.now()
    )

    call_command("run_worker", "--once")

    assert Stakeholder.objects.count() == 25
    assert SpreadsheetImport.objects.get().state == "done"


def test_an_import_whose_task_was_lost_is_queued_again_by_the_worker(admin_client, queued):
    lost = mock.patch("cms.queued_imports.run_spreadsheet_import")
    with lost as task:
        task.enqueue.side_effect = OSError("the queue is down")
        response = preview_and_confirm(admin_client, Stakeholder, stakeholders(25))
    assert response.status_code == 302  # the editor's confirmation stands
    assert SpreadsheetImport.objects.get().state == "queued"
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()
    call_command("run_worker", "--once")
    assert not Stakeholder.objects.exists()  # an hour may be a wait for a retry

    # A retry waiting for its time is not queued twice by the sweep.
    SpreadsheetImport.objects.update(
        created_at=timezone.now() - timedelta(hours=2), due_at=timezone.now()
    )
    PeriodicJob.objects.all().delete()  # the sweep's next time has come
    call_command("run_worker", "--once")
    assert not Stakeholder.objects.exists()

    SpreadsheetImport.objects.update(due_at=timezone.now() - timedelta(hours=2))
    PeriodicJob.objects.all().delete()
    call_command("run_worker", "--once")

    assert Stakeholder.objects.count() == 25
    assert SpreadsheetImport.objects.get().state == "done"


def test_a_russian_editor_reads_the_outcome_in_russian(admin_client, queued):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    factories.park_type(slug="science")
    rows = [["slug", "name_en", "park_type"]]
    rows += [[f"park-{n}", f"Park {n}", "science"] for n in range(24)]
    rows.append(["last-park", "Last park", "science"])
    preview_and_confirm(admin_client, Park, rows)
    ParkType.objects.filter(slug="science").update(slug="renamed")

    call_command("run_worker", "--once")  # the worker's own language is English

    job = SpreadsheetImport.objects.get()
    assert job.language == "ru" and "Строка 1" in job.errors and "Row 1" not in job.errors
    page = admin_client.get(url(Park, "import")).content.decode()
    assert "Ничего не импортировано." in page and "Строка 25" in page
