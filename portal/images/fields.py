"""The model field of every picture: strict validation, random names, renditions on save
(or queued for the worker after the commit, with a task backend that queues)."""

import logging

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.db.models.signals import post_save

from cms.background import made_off_the_request
from cms.renditions import RENDITION_WIDTHS, rendition_name
from cms.uploads import SafeFieldFileMixin, UploadNotStored, random_name, remove

from .limits import ALLOWED_EXTENSIONS
from .renditions import generate_renditions
from .tasks import queue_renditions
from .validation import CleanedUpload, SafeImageFormField

# The name the module had before it became a package, kept for the logging configuration.
logger = logging.getLogger("portal.images")


class SafeImageFieldFile(SafeFieldFileMixin, ImageFieldFile):
    """A stored picture, saved whole or not at all (cms/uploads.py)."""


# The pictures of a row being saved whose renditions the worker is to make.
PENDING = "_renditions_to_queue"


def _queue_after_save(sender, instance, **kwargs):
    for file in instance.__dict__.pop(PENDING, []):
        queue_renditions(file)


class RenditionImageField(models.ImageField):
    """An ImageField that validates uploads strictly and makes renditions once, on save."""

    attr_class = SafeImageFieldFile
    default_validators = [FileExtensionValidator(ALLOWED_EXTENSIONS)]

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            uid = f"portal.images.queue-renditions.{cls._meta.label}"
            post_save.connect(_queue_after_save, sender=cls, dispatch_uid=uid)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})

    def generate_filename(self, instance, filename):
        # A random name in the field's folder: a draft's picture (and its renditions, named
        # after it) cannot be found by guessing the uploaded file's name.
        return super().generate_filename(instance, random_name(filename))

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        is_new_upload = bool(file) and not file._committed
        upload = file.file if is_new_upload else None
        file = super().pre_save(model_instance, add)
        if is_new_upload and made_off_the_request():
            # The worker makes them after the commit (tasks.py): the request does not wait.
            # Queued once the row is saved (a new row has no key yet): _queue_after_save.
            model_instance.__dict__.setdefault(PENDING, []).append(file)
            if isinstance(upload, CleanedUpload):
                upload.image = None
        elif is_new_upload:
            decoded = upload.image if isinstance(upload, CleanedUpload) else None
            try:
                generate_renditions(file, image=decoded)
            except UploadNotStored:
                # The storage failed (a full disk): no half-made picture is left, the save fails.
                for name in [file.name, *(rendition_name(file.name, w) for w in RENDITION_WIDTHS)]:
                    remove(file.storage, name)
                raise
            except Exception:  # A rendition problem must not lose the editor's save.
                logger.exception("Could not make renditions of %s", file.name)
            if decoded is not None:
                upload.image = None  # up to 160 MB, no longer needed
        return file

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        if not force and not {self.width_field, self.height_field} <= instance.__dict__.keys():
            # Deferred by .only(): filling them in would cost a query per row.
            return
        # Rows are loaded on every page; a missing or broken file must not break them.
        try:
            super().update_dimension_fields(instance, *args, force=force, **kwargs)
        except (OSError, ValueError, SyntaxError):
            logger.warning("Could not read the dimensions of %s", getattr(instance, self.attname))
