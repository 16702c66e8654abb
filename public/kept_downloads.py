"""Kept downloads: a list's download is built once per content version, then served from a file.

Building a full download (10,000 rows) takes seconds of a worker; serving a file takes
milliseconds and no memory (gunicorn hands it to the kernel with ``sendfile``). The first
request streams the rows as they are built and writes the same bytes to a file beside; once
complete, the file is renamed into place and its description (content type, file name,
headers) is kept in the cache under ``cache_key("download", ...)``, which names the content
version. A change to content starts a new version, so a kept file is never served stale.

The files live in ``DOWNLOAD_CACHE_DIR`` (not the cache: a 10 MB value would cross the network
and sit in a worker's memory on every request). Files of other versions are deleted once they
are ``STALE_SECONDS`` old, and the folder never holds more than ``DOWNLOAD_CACHE_MAX_BYTES``:
the oldest go first. Like the API's answers, downloads are kept only while the page cache is
on (``PAGE_CACHE_SECONDS``), and a search asked for the first time keeps nothing
(``public.caching.keeps_results``).
"""

import logging
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse

from .caching import cache_key, current_version, keeps_results

logger = logging.getLogger(__name__)

# How long the description of a kept file stays in the cache (its key ends with the version).
KEPT_SECONDS = 24 * 60 * 60
# Files of another version are left this long (a process without a shared cache may still
# serve its own), then deleted.
STALE_SECONDS = 10 * 60
# Read and sent in blocks of this size (FileResponse's default is 4 KB).
BLOCK_SIZE = 64 * 1024


def folder():
    return Path(settings.DOWNLOAD_CACHE_DIR)


def download_key(*parts):
    """The cache key of a download: ``parts`` under the version, language and script prefix;
    None when downloads are not kept."""
    if settings.PAGE_CACHE_SECONDS <= 0 or not keeps_results():
        return None
    return cache_key("download", *parts)


def kept_response(key):
    """The kept download under ``key`` as a file response, or None."""
    described = cache.get(key) if key else None
    if not described:
        return None
    try:
        handle = open(folder() / described["file"], "rb")  # noqa: SIM115 - the response closes it
    except OSError:  # deleted to make room, or another host's: built again
        return None
    response = FileResponse(handle, content_type=described["content_type"])
    response.block_size = BLOCK_SIZE
    for name, value in described["headers"].items():
        response[name] = value
    return response


def keep_while_streaming(key, response):
    """``response`` (a streaming download), whose bytes also go to a file that becomes the
    kept download under ``key`` once the last byte is sent. A download cut short (the client
    went away) leaves nothing behind."""
    if key is None:
        return response
    name = f"{current_version().id}-{key.rsplit(':', 1)[-1]}"
    described = {
        "file": name,
        "content_type": response["Content-Type"],
        "headers": {
            header: value
            for header, value in response.items()
            if header.lower() not in {"content-type", "content-length"}
        },
    }
    response.streaming_content = _tee(response.streaming_content, key, described)
    return response


def _tee(chunks, key, described):
    target = folder()
    work = target / f"{described['file']}.{uuid.uuid4().hex}.partial"
    out = _open(work)
    try:
        for chunk in chunks:
            if out is not None:
                try:
                    out.write(chunk)
                except OSError as error:  # a full disk: the visitor gets it all, nothing kept
                    logger.warning("Download not kept: %s", error)
                    out.close()
                    out = None
            yield chunk
        if out is not None:
            out.close()
            out = None
            os.replace(work, target / described["file"])
            cache.set(key, described, KEPT_SECONDS)
            prune(target)
    finally:
        if out is not None:  # cut short
            out.close()
        work.unlink(missing_ok=True)


def _open(path):
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return open(path, "wb")  # closed by _tee
    except OSError as error:
        logger.warning("Download not kept: %s", error)
        return None


def prune(target=None):
    """Delete kept files of other versions once stale, and the oldest beyond the size cap."""
    target = target or folder()
    version = current_version().id
    now = time.time()
    files = []
    for path in target.iterdir():
        try:
            info = path.stat()
        except FileNotFoundError:  # deleted meanwhile by another process
            continue
        stale = now - info.st_mtime > STALE_SECONDS
        if stale and (not path.name.startswith(version) or path.name.endswith(".partial")):
            path.unlink(missing_ok=True)
        elif not path.name.endswith(".partial"):
            files.append((info.st_mtime, info.st_size, path))
    total = sum(size for _mtime, size, _path in files)
    for _mtime, size, path in sorted(files):
        if total <= settings.DOWNLOAD_CACHE_MAX_BYTES:
            break
        path.unlink(missing_ok=True)
        total -= size
