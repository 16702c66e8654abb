"""Uploaded pictures: strict validation, metadata stripping and renditions made once on save.

Every image field of the content models is a ``RenditionImageField``. Its form field accepts
only real JPEG, PNG or WebP images within the size, pixel and structure limits, and stores them
without their metadata (EXIF, GPS, XMP, text). When a new file is saved, the field writes WebP
renditions at fixed widths under ``renditions/``, named after the original's full stored name,
so a page builds its ``srcset`` from the stored width with no file access and no query.

Stored names are random (``images/2026/<32 hex>.jpg``, cms/uploads.py ``random_name``), so
nobody finds a draft's picture or its renditions by guessing (``manage.py rename_uploads``
renames files stored before). Each stored original has renditions of its own: an upload never
changes the renditions, and so the picture, of another object (``photo.png`` and ``photo.jpg``
used to share ``renditions/…/photo-400w.webp``). ``manage.py renditions`` makes the missing
ones, such as those of files stored before.

A file is stored whole or not at all, its renditions too: when the storage fails (a full
disk), what was written is removed and the save fails with ``UploadNotStored``, which the
admin shows as a form error (cms/uploads.py).

Processing an upload is bounded: the file is checked, decoded once and resized with reductions
by whole factors; a JPEG is re-encoded, a PNG or WebP keeps its image data as it is and loses
only its metadata chunks (their encoders take seconds). See the limits in limits.py.

With a task backend that queues (``DJANGO_TASKS_BACKEND=database``) the renditions are not
made in the save: ``tasks.make_renditions`` is queued once the save commits and the worker
writes each rendition whole (``cms.uploads.write_whole``); pages show the original meanwhile
(``cms.renditions.renditions_ready``). The immediate backend makes them in the save, as above.

The package: ``limits`` (sizes, pixels, parts, formats, messages), ``structure`` (a file's parts
read from its bytes), ``validation`` (``clean_upload`` and the form field), ``renditions``,
``tasks`` (the worker's) and ``fields`` (the model field). Migrations name
``portal.images.RenditionImageField``: the names below stay importable from here.
"""

from .fields import RenditionImageField, SafeImageFieldFile
from .limits import (
    ALLOWED_EXTENSIONS,
    FORMATS,
    MAX_CMYK_JPEG_PIXELS,
    MAX_PIXELS,
    MAX_PIXELS_BY_FORMAT,
    MAX_REENCODED_PIXELS,
    MAX_UPLOAD_BYTES,
    MESSAGES,
)
from .renditions import generate_renditions, missing_renditions
from .validation import CleanedUpload, SafeImageFormField, clean_upload

__all__ = [
    "ALLOWED_EXTENSIONS",
    "CleanedUpload",
    "FORMATS",
    "MAX_CMYK_JPEG_PIXELS",
    "MAX_PIXELS",
    "MAX_PIXELS_BY_FORMAT",
    "MAX_REENCODED_PIXELS",
    "MAX_UPLOAD_BYTES",
    "MESSAGES",
    "RenditionImageField",
    "SafeImageFieldFile",
    "SafeImageFormField",
    "clean_upload",
    "generate_renditions",
    "missing_renditions",
]
