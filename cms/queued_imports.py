"""Large spreadsheet imports done by the worker, off the request.

With a task backend that queues (``DJANGO_TASKS_BACKEND=database``), confirming an import of
more than ``IMPORT_QUEUE_ROWS`` rows (300) keeps the file in a ``SpreadsheetImport`` row and
queues ``run_spreadsheet_import`` once that row is committed; the editor is sent back to the
import page, which lists their imports of the model with their outcome. Smaller imports, and
every import with the immediate backend, are done in the request as before.

The task reads the file with the same bounded readers, imports every row in one transaction
with the resource's rules (the user's role included), and marks the import done in that same
transaction: a worker killed meanwhile leaves nothing written and the import queued, and the
task runs again (``workflow.worker.requeue_stale``). A row that no longer imports (entries
changed since the preview) writes nothing and the import is shown as not imported, with each
row's errors. Any other failure is tried again after a wait, at most ``MAX_ATTEMPTS`` times.
An import whose task was lost (queueing failed) is queued again by the worker's periodic job
``requeue_waiting_imports``.
"""

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task
from import_export.results import RowResult
from import_export.signals import post_import

from .background import made_off_the_request
from .models import SpreadsheetImport
from .spreadsheet_xlsx import BoundedXLSX
from .spreadsheets import BoundedCSV

logger = logging.getLogger(__name__)
FORMATS = {cls.__name__: cls for cls in (BoundedCSV, BoundedXLSX)}
# Seconds to wait after the first, second... failed attempt (not for rows that fail).
BACKOFF = [60, 5 * 60, 30 * 60]
MAX_ATTEMPTS = len(BACKOFF) + 1
MAX_ERRORS_SHOWN = 50
# An import still waiting this long has lost its task (or waits for a retry: a second run is
# harmless, the first to lock the row does the import).
WAITING_TOO_LONG = timedelta(hours=1)
SHOWN_ON_THE_PAGE = 5


def import_queue_rows():
    return getattr(settings, "IMPORT_QUEUE_ROWS", 300)


def queue_if_large(admin, request, confirm_form, data, dataset):
    """Queue the confirmed import when it is large and a worker does the tasks; the message
    to show, or None to import in the request as before."""
    if len(dataset) <= import_queue_rows() or not made_off_the_request():
        return None
    formats = admin.get_import_formats()
    input_format = formats[int(confirm_form.cleaned_data["format"])]
    resource = admin.choose_import_resource_class(confirm_form, request)
    job = SpreadsheetImport.objects.create(
        model=admin.model._meta.label,
        resource=f"{resource.__module__}.{resource.__qualname__}",
        input_format=input_format.__name__,
        file_name=(confirm_form.cleaned_data.get("original_file_name") or "")[:255],
        data=data.encode() if isinstance(data, str) else data,
        rows=len(dataset),
        user=request.user,
        language=translation.get_language() or "",
    )
    transaction.on_commit(lambda: queue(job.pk))
    messages.info(
        request,
        _(
            "The import of %(rows)d rows is queued: they are imported together, or none of "
            "them, in a minute or two. Its outcome is shown on this page."
        )
        % {"rows": len(dataset)},
    )
    return job


def queue(pk, attempt=1, wait=None):
    due = timezone.now() + timedelta(seconds=wait or 0)
    SpreadsheetImport.objects.filter(pk=pk).update(due_at=due)
    try:
        runner = run_spreadsheet_import
        if wait is not None:
            runner = runner.using(run_after=due)
        runner.enqueue(pk, attempt=attempt)
    except Exception:  # noqa: BLE001 - the row stays queued; the sweep on the page says so
        logger.exception("Could not queue spreadsheet import %s", pk)


class RowsRefused(Exception):
    """Rows no longer import: everything written is rolled back."""


def _errors(result):
    lines = []
    for number, errors in result.row_errors():
        lines += [_("Row %(row)s: %(error)s") % {"row": number, "error": e.error} for e in errors]
    for row in result.invalid_rows:
        for field, messages_ in row.field_specific_errors.items():
            for message in messages_:
                lines.append(
                    _("Row %(row)s, %(field)s: %(error)s")
                    % {"row": row.number, "field": field, "error": message}
                )
        lines += [
            _("Row %(row)s: %(error)s") % {"row": row.number, "error": message}
            for message in row.non_field_specific_errors
        ]
    for error in result.base_errors:
        lines.append(str(error.error))
    shown = lines[:MAX_ERRORS_SHOWN]
    if len(lines) > len(shown):
        shown.append(_("… and %(count)d more.") % {"count": len(lines) - len(shown)})
    return "\n".join(shown)


def _import(job):
    """Import the job's rows in the current transaction; raise RowsRefused on any error."""
    model = apps.get_model(job.model)
    input_format = FORMATS[job.input_format](encoding="utf-8-sig")
    data = bytes(job.data)
    dataset = input_format.create_dataset(data if input_format.is_binary() else data.decode())
    resource = import_string(job.resource)()
    result = resource.import_data(
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        collect_failed_rows=True,
        retain_instance_in_row_result=True,
        file_name=job.file_name,
        user=job.user,
    )
    if result.has_errors() or result.has_validation_errors():
        raise RowsRefused(_errors(result))
    actions = {RowResult.IMPORT_TYPE_NEW: ADDITION, RowResult.IMPORT_TYPE_UPDATE: CHANGE}
    if job.user_id:  # the admin's history, as an import in the request writes it
        for import_type, flag in actions.items():
            rows = [row.instance for row in result if row.import_type == import_type]
            if rows:
                LogEntry.objects.log_actions(
                    job.user_id,
                    rows,
                    flag,
                    change_message=_("%s through import_export") % import_type,
                    single_object=len(rows) == 1,
                )
    post_import.send(sender=None, model=model)
    return {key: result.totals[key] for key in ("new", "update", "skip", "delete")}


@task()
def run_spreadsheet_import(pk, attempt=1):
    """Do a queued import (see the module's docstring), its errors and history written in the
    editor's language; its state afterwards."""
    language = SpreadsheetImport.objects.filter(pk=pk).values_list("language", flat=True).first()
    with translation.override(language or settings.LANGUAGE_CODE):
        return _run(pk, attempt)


def _run(pk, attempt):
    try:
        with transaction.atomic():
            job = SpreadsheetImport.objects.select_for_update().filter(pk=pk).first()
            if job is None or job.state != SpreadsheetImport.State.QUEUED:
                return job and job.state  # done by an earlier run
            totals = _import(job)
            job.state, job.totals, job.data = SpreadsheetImport.State.DONE, totals, b""
            job.attempts, job.finished_at = attempt, timezone.now()
            job.save()
        return job.state
    except RowsRefused as refused:
        _finish(pk, attempt, str(refused))
    except Exception as error:
        if attempt < MAX_ATTEMPTS:
            wait = BACKOFF[attempt - 1]
            logger.warning("Spreadsheet import %s failed (attempt %s)", pk, attempt)
            SpreadsheetImport.objects.filter(pk=pk).update(attempts=attempt)
            queue(pk, attempt=attempt + 1, wait=wait)
            return SpreadsheetImport.State.QUEUED
        _finish(pk, attempt, _("The import failed: %(error)s") % {"error": error})
        raise  # a failed task: /healthz and /metrics count it
    return SpreadsheetImport.State.FAILED


@task()
def requeue_waiting_imports():
    """Queue again the imports still waiting ``WAITING_TOO_LONG`` after their task was due
    (its run was lost); how many."""
    cutoff = timezone.now() - WAITING_TOO_LONG
    waiting = SpreadsheetImport.objects.filter(
        Q(due_at__lt=cutoff) | Q(due_at__isnull=True, created_at__lt=cutoff),
        state=SpreadsheetImport.State.QUEUED,
    ).values_list("pk", "attempts")
    for pk, attempts in waiting:
        queue(pk, attempt=min(attempts + 1, MAX_ATTEMPTS))
    return len(waiting)


def _finish(pk, attempt, errors):
    SpreadsheetImport.objects.filter(pk=pk).update(
        state=SpreadsheetImport.State.FAILED,
        errors=errors,
        attempts=attempt,
        data=b"",
        finished_at=timezone.now(),
    )


def recent_imports(user, model):
    """The user's latest queued imports of the model, for the import page (file left out)."""
    return list(
        SpreadsheetImport.objects.filter(user=user, model=model._meta.label).defer("data")[
            :SHOWN_ON_THE_PAGE
        ]
    )


def describe(job):
    """What the import page says of an import."""
    if job.state == SpreadsheetImport.State.DONE:
        totals = job.totals or {}
        return ngettext(
            "%(rows)d row: %(new)d new, %(update)d changed, %(skip)d unchanged.",
            "%(rows)d rows: %(new)d new, %(update)d changed, %(skip)d unchanged.",
            job.rows,
        ) % {
            "rows": job.rows,
            "new": totals.get("new", 0),
            "update": totals.get("update", 0),
            "skip": totals.get("skip", 0),
        }
    if job.state == SpreadsheetImport.State.FAILED:
        return _("Nothing was imported.")
    return _("%(rows)d rows, waiting for the worker.") % {"rows": job.rows}
