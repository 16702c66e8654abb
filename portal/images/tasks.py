"""Renditions made by the worker, after the upload's transaction commits.

With a task backend that queues (``DJANGO_TASKS_BACKEND=database``), saving a new picture
queues ``make_renditions`` once the save is committed, and the request returns without
waiting for it; pages show the original meanwhile (``cms.renditions.renditions_ready``). With
the immediate backend the field makes them in the save, as it always did (fields.py).

The task is safe to run twice or after a killed run: every rendition is written whole
(``write_whole``), and a run finds what is stored. A failure is tried again after a wait
(``BACKOFF``, as notifications' e-mail is); the last failure stays a failed task, counted by
/healthz and /metrics, and ``manage.py renditions`` makes whatever is still missing.
"""

import logging
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cms.renditions import image_dimensions, mark_renditions_ready
from cms.uploads import write_whole
from portal.signals import content_changed

from .renditions import generate_renditions, missing_renditions

logger = logging.getLogger("portal.images")

# Seconds to wait after the first, second... failed attempt; then it stays failed.
BACKOFF = [60, 5 * 60, 30 * 60, 2 * 3600]
MAX_ATTEMPTS = len(BACKOFF) + 1


def queue_renditions(field_file):
    """Queue the renditions of a picture being saved, once its transaction commits (a
    rolled-back save queues nothing)."""
    instance, field, name = field_file.instance, field_file.field, field_file.name

    def enqueue():
        try:
            make_renditions.enqueue(instance._meta.label, instance.pk, field.name, name)
        except Exception:  # noqa: BLE001 - the save stands; `manage.py renditions` catches up
            logger.exception("Could not queue the renditions of %s", name)

    transaction.on_commit(enqueue)


def _stored_file(model_label, pk, field_name, name):
    """The row's picture if it is still ``name`` (None when replaced, cleared or deleted)."""
    model = apps.get_model(model_label)
    field = model._meta.get_field(field_name)
    columns = [model._meta.pk.attname, field.attname]
    columns += [column for column in (field.width_field, field.height_field) if column]
    row = model._base_manager.filter(pk=pk).only(*columns).first()
    file = getattr(row, field.attname, None) if row is not None else None
    return file if file and file.name == name else None


@task()
def make_renditions(model_label, pk, field_name, name, attempt=1):
    """Make the missing renditions of the picture ``name`` of a row; what happened."""
    file = _stored_file(model_label, pk, field_name, name)
    if file is None or not file.storage.exists(name):
        return "superseded"  # another picture (with its own task), or none, is stored now
    dimensions = image_dimensions(file)
    if dimensions and not missing_renditions(file, dimensions[0]):
        return "complete"  # a run before this one made them
    try:
        generate_renditions(file, write=write_whole)
    except Exception:
        if attempt >= MAX_ATTEMPTS:
            raise  # a failed task: /healthz and /metrics count it
        wait = BACKOFF[attempt - 1]
        logger.warning("Renditions of %s failed (attempt %s), again in %ss", name, attempt, wait)
        make_renditions.using(run_after=timezone.now() + timedelta(seconds=wait)).enqueue(
            model_label, pk, field_name, name, attempt=attempt + 1
        )
        return "retrying"
    mark_renditions_ready(name)
    # Pages kept before now link the original; the next ones link the renditions.
    content_changed.send(sender=apps.get_model(model_label))
    return "made"
