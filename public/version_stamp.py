"""How processes that keep the content version in their own memory learn that another process
ended it.

With Redis every process shares the version (public/caching.py). The local-memory cache is per
process: a change saved by ``bin/manage shell``, a command or a cron job ended the version in
that process only, and the web server went on serving what it had kept for up to
``PAGE_CACHE_SECONDS``. So, with a local-memory cache, ending the version also writes a new
random token to a small file (after the change is committed), and every process compares that
token with the one its version started from once per request: a single small file read, no
query.

The file is ``settings.CONTENT_VERSION_FILE`` when that is set (a path, or "" for none);
otherwise (unset or None) a file in the system's temporary folder named after the database, so every process
of one site on one host finds the same file. Not needed, and not used, with a shared cache, or
with an in-memory SQLite database (which no other process can change).
"""

import functools
import hashlib
import logging
import os
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections

logger = logging.getLogger(__name__)


def stamp_path():
    """The file shared by this site's processes, or None where none is needed."""
    database = connections["default"].settings_dict
    return _stamp_path(
        getattr(settings, "CONTENT_VERSION_FILE", None),
        isinstance(caches["default"], LocMemCache),
        tempfile.gettempdir(),
        settings.BASE_DIR,
        database["ENGINE"],
        database.get("HOST"),
        database.get("PORT"),
        str(database.get("NAME") or ""),
    )


# Read at every request: only the look-up of what it depends on is repeated, not the hashing.
@functools.lru_cache(maxsize=16)
def _stamp_path(configured, local_memory, temporary, *site):
    if configured is not None:
        return Path(configured) if configured else None
    if not local_memory:
        return None  # a shared cache holds the version itself
    _base, engine, _host, _port, name = site
    if engine.endswith("sqlite3") and (name in ("", ":memory:") or "mode=memory" in name):
        return None
    digest = hashlib.sha256("|".join(map(str, site)).encode()).hexdigest()[:16]
    return Path(temporary) / f"inotomsk-content-version-{digest}"


def read_stamp():
    """The token the last change wrote ("" before any, or without a file)."""
    path = stamp_path()
    if path is None:
        return ""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return ""
    try:
        return os.read(descriptor, 64).decode(errors="replace")
    except OSError:
        return ""
    finally:
        os.close(descriptor)


def write_stamp():
    """A new token, written over the old one in place: one small write (creating a file and
    renaming it cost a hundred times more, per saved row of an import). Tokens have one length,
    so a reader sees a whole token or, at worst, a mixed one that matches no version either."""
    path = stamp_path()
    if path is None:
        return
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            os.pwrite(descriptor, uuid.uuid4().hex.encode(), 0)
        finally:
            os.close(descriptor)
    except OSError as error:
        # The change is saved; other processes see it when what they kept expires.
        logger.warning("Could not write the content version stamp %s: %s", path, error)
