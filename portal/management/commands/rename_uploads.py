"""Give every stored upload a random name: `manage.py rename_uploads [--dry-run]`.

Uploads were stored under the uploaded file's name (``images/2026/collide.png``, and its
renditions ``renditions/images/2026/collide.png.400w.webp``): anyone who could reach /media/
could find a draft's picture by guessing. New uploads get random names (cms/uploads.py);
this command renames the files stored before, in the same folder, with the same extension:

1. the file is copied to its new name, and so is each of its renditions (stored whole or not
   at all: on failure nothing of the copy is left and the file keeps its name);
2. in one transaction, every row of every file field that names it, and every text of every
   table that names it (a picture in rich text, its renditions too, and the versions
   django-reversion keeps, as JSON) is changed to the new name;
3. the old file and its renditions are deleted, and the cached pages are dropped.

A file that cannot be copied (a full disk) keeps its name, and the command ends with an error
after the others. Files whose name is already random are skipped, so running it again changes nothing; a file a
row names but the storage does not hold is reported and left alone. It works through the
storage API, on the filesystem and on object storage alike.
"""

import posixpath
import re

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.renditions import RENDITION_WIDTHS, rendition_name
from cms.uploads import UploadNotStored, has_random_name, random_name, remove, store
from portal.signals import content_changed


def file_fields():
    """(model, field) of every file field of the installed models (proxies left out)."""
    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def text_fields(model):
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


def naming(old):
    """A pattern for ``old`` as a whole name in a text: not part of a longer name, though it
    may be followed by a rendition's suffix (``.400w.webp``)."""
    return re.compile(r"(?<![\w.-])" + re.escape(old) + r"(?![\w-]|\.(?!\d+w\.webp))")


def renamed_text(text, pattern, new):
    return pattern.sub(new.replace("\\", r"\\"), text) if isinstance(text, str) else text


class Command(BaseCommand):
    help = _(
        "Rename every stored upload that still has the uploaded file's name to a random name, "
        "with its renditions, in rows, texts and kept versions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("List what would be renamed; change nothing.")
        )

    def handle(self, *args, dry_run=False, **options):
        storage = default_storage
        fields = file_fields()
        names = set()
        for model, field in fields:
            rows = model._base_manager.exclude(**{field.attname: ""}).exclude(
                **{f"{field.attname}__isnull": True}
            )
            names.update(rows.values_list(field.attname, flat=True).distinct())
        renamed = missing = failed = 0
        for old in sorted(name for name in names if not has_random_name(name)):
            if not storage.exists(old):
                missing += 1
                self.stderr.write(_("Not in the storage, left as it is: %(name)s") % {"name": old})
                continue
            if dry_run:
                self.stdout.write(old)
                renamed += 1
                continue
            try:
                new = self.rename(storage, fields, old)
            except UploadNotStored as error:  # a full disk: this one keeps its name
                failed += 1
                self.stderr.write(
                    _("Could not copy %(name)s (%(error)s): it keeps its name.")
                    % {"name": old, "error": error.cause}
                )
                continue
            self.stdout.write(f"{old} -> {new}")
            renamed += 1
        if renamed and not dry_run:
            content_changed.send(sender=self.__class__)  # pages name the files
        if dry_run:
            message = ngettext(
                "%(count)d file would be renamed.", "%(count)d files would be renamed.", renamed
            )
        else:
            message = ngettext("%(count)d file renamed.", "%(count)d files renamed.", renamed)
        self.stdout.write(message % {"count": renamed}, self.style.SUCCESS)
        if missing:
            message = ngettext(
                "%(count)d file named by rows is not in the storage.",
                "%(count)d files named by rows are not in the storage.",
                missing,
            )
            self.stdout.write(message % {"count": missing}, self.style.WARNING)
        if failed:
            message = ngettext(
                "%(count)d file could not be renamed; run the command again.",
                "%(count)d files could not be renamed; run the command again.",
                failed,
            )
            raise CommandError(message % {"count": failed})

    def rename(self, storage, fields, old):
        with storage.open(old) as source:
            new = store(storage, posixpath.join(posixpath.dirname(old), random_name(old)), source)
        pairs = [
            (rendition_name(old, width), rendition_name(new, width))
            for width in RENDITION_WIDTHS
            if storage.exists(rendition_name(old, width))
        ]
        copied = []
        try:
            for before, after in pairs:
                with storage.open(before) as source:
                    copied.append(store(storage, after, source))
                if copied[-1] != after:  # the pages build the name from the original's
                    raise RuntimeError(f"{after} was stored as {copied[-1]}")
            with transaction.atomic():
                self.rename_references(fields, old, new)
        except BaseException:
            for name in [new, *copied]:
                remove(storage, name)
            raise
        for before, _after in pairs:
            remove(storage, before)
        remove(storage, old)
        return new

    def rename_references(self, fields, old, new):
        for model, field in fields:
            model._base_manager.filter(**{field.attname: old}).update(**{field.attname: new})
        # Every text of every table: rich text naming the picture or a rendition, and the
        # versions django-reversion keeps (JSON, where names appear as they are).
        pattern = naming(old)
        for model in apps.get_models():
            texts = text_fields(model)
            if model._meta.proxy or not texts:
                continue
            condition = Q()
            for name in texts:
                condition |= Q(**{f"{name}__contains": old})
            for row in model._base_manager.filter(condition).values("pk", *texts):
                changed = {
                    name: renamed_text(row[name], pattern, new)
                    for name in texts
                    if isinstance(row[name], str) and pattern.search(row[name])
                }
                if changed:
                    model._base_manager.filter(pk=row["pk"]).update(**changed)
