"""Uploaded files stored whole or not at all.

A full disk (or any failure of the storage) in the middle of a save used to answer 500, lose
what the editor had typed and leave a truncated file in media. Now:

- ``store`` saves a file through its storage; when that fails it removes whatever was written
  under the name and raises ``UploadNotStored``. The file fields of the content models save
  through it (``SafeFieldFile``, ``SafeFileField``), and so do the image renditions
  (portal/images/).
- Uploads are stored under random names (``random_name``): ``images/2026/<32 hex>.png``, never
  the uploaded file's name, so a draft's picture cannot be found by guessing (its renditions
  are named after it). ``manage.py rename_uploads`` renames files stored before.
- ``write_whole`` stores bytes so that readers see the whole file or none even if the process
  is killed meanwhile (the worker's renditions and social cards).
- ``UploadSafeAdmin`` (every content admin) removes every file stored during a request whose
  save then fails, and answers ``UploadNotStored`` with the same form as it was posted, with
  the error on the file's field. The admin saves in one transaction, rolled back then: no row
  is written or changed.
"""

import contextlib
import contextvars
import errno
import logging
import os
import posixpath
import re
import tempfile
import uuid
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

DISK_FULL = _(
    "The file could not be stored: the server's disk is full. Nothing was saved; what you "
    "entered is kept below. Try again later, or tell the site's administrator."
)
NOT_STORED = _(
    "The file could not be stored (the server's storage failed). Nothing was saved; what you "
    "entered is kept below. Try again later, or tell the site's administrator."
)
FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}

# What ``random_name`` makes: 32 hex digits and the extension, if any.
RANDOM_NAME = re.compile(r"[0-9a-f]{32}(\.[a-z0-9]{1,10})?")

# (storage, name) of each file stored in the current ``removed_on_failure`` block.
_stored = contextvars.ContextVar("stored_uploads", default=None)


def random_name(filename):
    """A random file name with the lower-case extension of ``filename`` (the folder is the
    caller's): nothing of the uploader's name is kept."""
    extension = posixpath.splitext(posixpath.basename(filename or ""))[1][1:].lower()
    if not re.fullmatch(r"[a-z0-9]{1,10}", extension):
        extension = ""
    return uuid.uuid4().hex + (f".{extension}" if extension else "")


def has_random_name(name):
    return bool(RANDOM_NAME.fullmatch(posixpath.basename(name or "")))


class UploadNotStored(Exception):
    """A file could not be stored; nothing of it is left. ``field`` is the form field's name
    (None for a file that belongs to no field), ``message`` what to tell the user."""

    def __init__(self, field, cause):
        self.field = field
        self.cause = cause
        full = isinstance(cause, OSError) and cause.errno in FULL_ERRNOS
        self.message = DISK_FULL if full else NOT_STORED
        super().__init__(f"{field}: {cause!r}")


def remove(storage, name):
    """Delete ``name`` if it exists; a failure is logged, never raised (it is a clean-up)."""
    try:
        if name and storage.exists(name):
            storage.delete(name)
    except Exception:
        logger.exception("Could not remove %s", name)


def store(storage, name, content, max_length=None, field=None):
    """Save ``content`` as ``name`` (or a free name near it); return the name stored.

    On failure, what was written under that name is deleted and ``UploadNotStored`` raised.
    A file stored inside a ``removed_on_failure`` block is recorded for it.
    """
    name = storage.get_available_name(name, max_length=max_length)
    existed = storage.exists(name)  # never remove a file that was there before
    try:
        saved = storage.save(name, content, max_length=max_length)
    except Exception as error:
        logger.warning("Could not store %s: %r", name, error)
        if not existed:
            remove(storage, name)
        raise UploadNotStored(field, error) from error
    recorded = _stored.get()
    if recorded is not None:
        recorded.append((storage, saved))
    return saved


@contextmanager
def removed_on_failure():
    """Files stored inside the block are deleted again if it raises."""
    outer = _stored.get()
    recorded = []
    token = _stored.set(recorded)
    try:
        yield
    except BaseException:
        for storage, name in reversed(recorded):
            remove(storage, name)
        raise
    finally:
        _stored.reset(token)
    if outer is not None:
        outer.extend(recorded)  # an enclosing block removes them if it fails later


class SafeFieldFileMixin:
    """``FieldFile.save`` through ``store``."""

    def save(self, name, content, save=True):
        name = self.field.generate_filename(self.instance, name)
        self.name = store(self.storage, name, content, self.field.max_length, self.field.name)
        self._set_instance_attribute(self.name, content)
        self._committed = True
        if save:
            self.instance.save()

    save.alters_data = True


class SafeFieldFile(SafeFieldFileMixin, FieldFile):
    """A stored file of a ``SafeFileField``."""


class SafeFileField(models.FileField):
    """A FileField whose uploads are stored whole or not at all (``store``)."""

    attr_class = SafeFieldFile

    def deconstruct(self):
        # Behaviour only, the column is the same: migrations see a plain FileField.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


class UploadSafeAdmin:
    """A ModelAdmin mixin: a save whose file cannot be stored is a form error, not a 500.

    The first attempt runs in ``removed_on_failure``; when it raises ``UploadNotStored`` (its
    transaction rolled back) the view runs again on the same POST with that error added to the
    form, which is then shown with everything as typed. Any other failure still removes the
    files stored before it.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with removed_on_failure():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except UploadNotStored as error:
            if request.method != "POST" or hasattr(request, "upload_not_stored"):
                raise
            request.upload_not_stored = error
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "upload_not_stored", None)
        if error is None:
            return form_class

        class NotStoredForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                self.add_error(error.field if error.field in self.fields else None, error.message)
                return cleaned_data

        NotStoredForm.__name__ = form_class.__name__
        return NotStoredForm


PART_SUFFIX = ".part"


def _leftover_parts(directory, base):
    prefix = f".{base}."
    with os.scandir(directory) as entries:
        return [
            e.path for e in entries if e.name.startswith(prefix) and e.name.endswith(PART_SUFFIX)
        ]


def write_whole(storage, name, data, field=None):
    """Store ``data`` as ``name`` so that readers see the whole file or none, even if the
    process is killed meanwhile; a file there before is replaced.

    On the filesystem: written to a temporary name beside it (``.<name>.<random>.part``),
    flushed, then renamed over it (``os.replace`` is atomic); parts a killed writer left are
    removed first. On object storage a PUT is atomic itself (an object, a multipart one too,
    appears only once complete), so the object is written under its name.
    """
    try:
        path = storage.path(name)
    except NotImplementedError:
        return _put(storage, name, data)
    directory, base = os.path.split(path)
    os.makedirs(directory, exist_ok=True)
    for leftover in _leftover_parts(directory, base):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(leftover)
    handle, part = tempfile.mkstemp(prefix=f".{base}.", suffix=PART_SUFFIX, dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(part, storage.file_permissions_mode or 0o644)  # mkstemp makes it 0600
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(part)
        raise
    return name


def _put(storage, name, data):
    """Write an object over any there (S3 backends overwrite; others would pick a free name)."""
    if storage.exists(name) and storage.get_available_name(name) != name:
        storage.delete(name)
    return storage.save(name, ContentFile(data))
