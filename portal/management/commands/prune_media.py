"""Delete stored media that nothing refers to any more: `manage.py prune_media [--dry-run]`.

Deleting an entry, or replacing its picture or file, leaves the stored file in place: the
entry's versions still name it, and "Recover deleted …" or a restored version brings it back
with its picture (docs/editing.md, "Versions and restore"). A stored original (and its
renditions) is deleted here only when no row, no kept version and no text names it, and it is
older than --min-age hours (an upload whose row is not saved yet is left alone). Social cards
of entries that no longer exist go too. Old versions are removed with django-reversion's
`manage.py deleterevisions`; their files go at the next run of this command.

It works through the storage API, so on the filesystem and on object storage alike.
"""

import json
import posixpath
import re
from datetime import timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reversion.models import Version

RENDITION = re.compile(r"^renditions/(?P<original>.+)\.\d+w\.webp$")
SOCIAL_CARD = re.compile(r"^social/(?P<model>[a-z]+)/(?P<pk>\d+)-[0-9a-f]+\.png$")


def file_fields():
    """(model, field) of every file field of the project's models."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def upload_folders(fields, kept):
    """The top folders that file fields store into: only there are originals deleted."""
    folders = {name.split("/", 1)[0] for name in kept if "/" in name}
    for model, field in fields:
        try:
            name = field.generate_filename(model(), "file")
        except Exception:  # noqa: BLE001 - an upload_to that needs a real row: see kept
            continue
        if "/" in name:
            folders.add(name.split("/", 1)[0])
    return folders - {"renditions", "social"}


def stored_names(storage, folder=""):
    """Every file name in the storage, walking its folders."""
    folders, files = storage.listdir(folder)
    for name in files:
        yield posixpath.join(folder, name)
    for sub in folders:
        yield from stored_names(storage, posixpath.join(folder, sub))


def referenced_by_rows(fields):
    names = set()
    for model, field in fields:
        rows = model._base_manager.exclude(**{field.attname: ""}).exclude(
            **{f"{field.attname}__isnull": True}
        )
        names.update(rows.values_list(field.attname, flat=True).iterator())
    return names


def referenced_by_versions(fields):
    """The file names that kept versions (django-reversion) give their entries."""
    by_model = {}
    for model, field in fields:
        by_model.setdefault(ContentType.objects.get_for_model(model).pk, []).append(field.attname)
    names = set()
    versions = Version.objects.filter(content_type__in=by_model, format="json")
    for content_type, data in versions.values_list("content_type", "serialized_data").iterator():
        try:
            values = json.loads(data)[0]["fields"]
        except (ValueError, LookupError, TypeError):
            continue
        names.update(values.get(name) for name in by_model[content_type])
    names.discard(None)
    names.discard("")
    return names


def named_in_text(name):
    """True when a text of a row or a version names the file (an image in rich text)."""
    for model in apps.get_models():
        texts = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.TextField | models.CharField)
            and not isinstance(f, models.FileField)
            and (f.max_length is None or f.max_length >= len(name))
        ]
        if not texts:
            continue
        condition = Q()
        for text in texts:
            condition |= Q(**{f"{text}__contains": name})
        if model._base_manager.filter(condition).exists():
            return True
    return False


class Command(BaseCommand):
    help = _("Delete stored media that no entry, version or text refers to any more.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("List what would be deleted; delete nothing.")
        )
        parser.add_argument(
            "--min-age",
            type=float,
            default=24,
            help=_("Leave files younger than this many hours (default 24)."),
        )

    def handle(self, *args, **options):
        storage = default_storage
        fields = file_fields()
        kept = referenced_by_rows(fields) | referenced_by_versions(fields)
        folders = upload_folders(fields, kept)
        models_by_name = {model.__name__.lower(): model for model in apps.get_models()}
        cutoff = timezone.now() - timedelta(hours=options["min_age"])
        unused = []
        for name in stored_names(storage):
            rendition = RENDITION.match(name)
            card = SOCIAL_CARD.match(name)
            if card:
                model = models_by_name.get(card["model"])
                if model is None or model._base_manager.filter(pk=card["pk"]).exists():
                    continue
            elif rendition:
                original = rendition["original"]
                if original in kept or storage.exists(original):
                    continue  # its original decides, when it goes
            elif name in kept or name.split("/", 1)[0] not in folders:
                continue
            if name in kept or named_in_text(name):
                continue
            if storage.get_modified_time(name) > cutoff:
                continue
            unused.append(name)
        for name in unused:
            if not options["dry_run"]:
                storage.delete(name)
                for width_name in self.renditions_of(storage, name):
                    storage.delete(width_name)
            self.stdout.write(name)
        count = len(unused)
        if options["dry_run"]:
            message = ngettext(
                "%(count)d unused file found.", "%(count)d unused files found.", count
            )
        else:
            message = ngettext(
                "%(count)d unused file deleted.", "%(count)d unused files deleted.", count
            )
        self.stdout.write(message % {"count": count}, self.style.SUCCESS)

    @staticmethod
    def renditions_of(storage, name):
        folder = posixpath.dirname(f"renditions/{name}")
        try:
            _folders, files = storage.listdir(folder)
        except FileNotFoundError:
            return []
        prefix = posixpath.basename(name) + "."
        return [
            posixpath.join(folder, f)
            for f in files
            if f.startswith(prefix) and RENDITION.match(posixpath.join(folder, f))
        ]
