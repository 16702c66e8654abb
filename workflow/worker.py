"""The worker's loop (``manage.py run_worker``): start the periodic jobs that are due, put back
tasks of a worker that died, and run the queued tasks (django-tasks' database worker).

With the immediate backend, starting a job runs it at once, so the same loop serves local
runs: it publishes scheduled entries and retries e-mail.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from cms.queued_imports import requeue_waiting_imports

from . import tasks
from .models import PeriodicJob

logger = logging.getLogger(__name__)
# A task still "running" this long after it started had its worker killed: it runs again
# (every task here is safe to run twice).
STALE_AFTER = timedelta(minutes=30)


def periodic_jobs():
    """{name: (task, how often)}."""
    return {
        "publish-due": (tasks.publish_due, timedelta(minutes=1)),
        "deliver-due-mail": (tasks.deliver_due_mail, timedelta(minutes=1)),
        "remind-review-due": (tasks.remind_review_due, timedelta(hours=6)),
        "check-links": (tasks.check_links, timedelta(hours=1)),
        "requeue-waiting-imports": (requeue_waiting_imports, timedelta(minutes=15)),
    }


def start_due_jobs(now=None):
    """Queue each periodic job whose time has come (one worker wins each, by a row lock)."""
    now = now or timezone.now()
    started = []
    for name, (task, every) in periodic_jobs().items():
        with transaction.atomic():
            PeriodicJob.objects.get_or_create(name=name)
            job = PeriodicJob.objects.select_for_update().get(name=name)
            if job.last_run_at is not None and job.last_run_at + every > now:
                continue
            job.last_run_at = now
            job.save(update_fields=["last_run_at"])
        try:
            task.enqueue()
        except Exception:  # noqa: BLE001 - one job's failure must not stop the others
            logger.exception("Periodic job %s failed", name)
            continue
        started.append(name)
    return started


def uses_database_queue():
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def requeue_stale(now=None):
    """Put back the tasks whose worker died while running them; the number put back."""
    if not uses_database_queue():
        return 0
    cutoff = (now or timezone.now()) - STALE_AFTER
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .update(status="READY", started_at=None)
    )


class _Stop:
    """Set on SIGTERM or SIGINT: the task under way finishes, then the worker exits."""

    requested = False
    worker = None


def request_stop(signum=None, frame=None):
    _Stop.requested = True
    if _Stop.worker is not None:
        _Stop.worker.running = False  # django-tasks-db's loop ends after the current task


def stop_requested():
    return _Stop.requested


def reset_stop():
    _Stop.requested = False


def run_queued(max_tasks=None):
    """Run the queued tasks that are ready, then return (the database backend only)."""
    if not uses_database_queue() or _Stop.requested:
        return
    _Stop.worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    try:
        _Stop.worker.run()
    finally:
        _Stop.worker = None


def run_once(max_tasks=None):
    """One round of the loop."""
    requeue_stale()
    start_due_jobs()
    run_queued(max_tasks)
