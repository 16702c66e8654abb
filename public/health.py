"""The state of what the portal runs on, for /healthz (public/pages.py) and the metrics.

Each component is checked cheaply and on its own: the database (``SELECT 1``), the shared cache
(the Redis backend's own availability, no request), the object store (one ``HeadBucket`` with a
one-second timeout, its answer kept five seconds per process; on the filesystem, whether
``MEDIA_ROOT`` is writable) and the task queue (the ``TASK_QUEUE_STATUS`` hook, unset until a
queue exists). Only the database is required to serve pages: the others make the site degraded,
not down. Nothing reported names a host, a key or an error message.
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.utils.module_loading import import_string

OK, UNAVAILABLE, NOT_CONFIGURED = "ok", "unavailable", "not_configured"
REQUIRED = {"database"}
OBJECT_STORE_RECHECK_SECONDS = 5
_object_store_answer = {"at": 0.0, "up": None, "storage": None}


def database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"status": UNAVAILABLE}
    return {"status": OK}


def shared_cache():
    backend = "redis" if hasattr(cache, "is_available") else "local-memory"
    up = getattr(cache, "is_available", lambda: True)()
    return {"status": OK if up else UNAVAILABLE, "backend": backend}


def object_store():
    if not hasattr(default_storage, "signed_url"):
        media = Path(settings.MEDIA_ROOT)
        # A new install makes MEDIA_ROOT with the first upload: then its parent must be writable.
        folder = media if media.exists() else media.parent
        up = os.access(folder, os.W_OK)
        return {"status": OK if up else UNAVAILABLE, "backend": "filesystem"}
    storage = default_storage._wrapped  # set up by the look-up above; a new one is checked anew
    now = time.monotonic()
    answer = _object_store_answer
    if answer["storage"] is not storage or now - answer["at"] > OBJECT_STORE_RECHECK_SECONDS:
        answer.update(at=now, up=default_storage.check(timeout=1), storage=storage)
    return {"status": OK if answer["up"] else UNAVAILABLE, "backend": "s3"}


def task_queue_status():
    """What the ``TASK_QUEUE_STATUS`` hook says: {"depth": n, "failures": n}; None without one.

    The hook is a dotted path to a function of no arguments, for the background tasks' queue
    when it exists; it raises when the queue cannot be reached.
    """
    path = getattr(settings, "TASK_QUEUE_STATUS", "")
    if not path:
        return None
    return import_string(path)()


def task_queue():
    try:
        status = task_queue_status()
    except Exception:  # noqa: BLE001 - any failure of the queue means "unavailable"
        return {"status": UNAVAILABLE}
    if status is None:
        return {"status": NOT_CONFIGURED}
    return {"status": OK, "depth": int(status.get("depth", 0))}


CHECKS = {
    "database": database,
    "cache": shared_cache,
    "object_store": object_store,
    "task_queue": task_queue,
}


def report():
    """(overall status, HTTP status, components): 503 only when a required one is down."""
    components = {name: check() for name, check in CHECKS.items()}
    for name, component in components.items():
        component["required"] = name in REQUIRED
    down = {name for name, c in components.items() if c["status"] == UNAVAILABLE}
    if down & REQUIRED:
        return UNAVAILABLE, 503, components
    return ("degraded" if down else OK), 200, components
