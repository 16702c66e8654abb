"""Make the missing WebP renditions of every stored image of the content models."""

import posixpath

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from cms.renditions import RENDITION_WIDTHS, image_dimensions
from portal.images import RenditionImageField, generate_renditions, missing_renditions


def image_fields():
    """(model, field) for every ``RenditionImageField`` of the installed models."""
    for model in apps.get_models():
        if model._meta.proxy:  # its rows are those of the concrete model
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, RenditionImageField):
                yield model, field


def legacy_rendition_names(name):
    """The names renditions had before 2026-12: ``renditions/<stem>-<width>w.webp``.

    Files of the same stem shared them (photo.jpg and photo.png). Current names put a dot
    before the width, so no current rendition can have one of these names.
    """
    stem = posixpath.splitext(name)[0]
    return [f"renditions/{stem}-{width}w.webp" for width in RENDITION_WIDTHS]


class Command(BaseCommand):
    help = (
        "Make the WebP renditions that are missing for the stored images of every model with a "
        "RenditionImageField (articles, projects, parks, clusters, stakeholder logos). Run it "
        "after upgrading from renditions named <stem>-<width>w.webp, or after restoring media. "
        "Safe to run again: an image whose renditions all exist is skipped without being read."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Make the renditions of every image again, even those that exist.",
        )
        parser.add_argument(
            "--delete-old",
            action="store_true",
            help=(
                "Also delete the renditions in the former naming (<stem>-<width>w.webp) of "
                "every stored image: no page uses them any more."
            ),
        )

    def handle(self, *args, force=False, delete_old=False, **options):
        verbose = options["verbosity"] >= 2
        made = complete = deleted = 0
        missing, failed = [], []
        seen = set()
        for model, field in image_fields():
            label = f"{model._meta.label}.{field.name}"
            columns = [model._meta.pk.attname, field.attname]
            columns += [name for name in (field.width_field, field.height_field) if name]
            rows = (
                model._base_manager.exclude(**{field.attname: ""})
                .exclude(**{f"{field.attname}__isnull": True})
                .only(*columns)
                .order_by("pk")
            )
            for obj in rows.iterator(chunk_size=500):
                file = getattr(obj, field.attname)
                key = (id(file.storage), file.name)
                if key in seen:  # rows sharing a file, as seeded ones may
                    continue
                seen.add(key)
                where = f"{label} of {model._meta.model_name} {obj.pk}: {file.name}"
                if not file.storage.exists(file.name):
                    missing.append(where)
                    continue
                if delete_old:
                    for name in legacy_rendition_names(file.name):
                        if file.storage.exists(name):
                            file.storage.delete(name)
                            deleted += 1
                dimensions = image_dimensions(file)
                if not dimensions or not dimensions[0]:
                    failed.append(f"{where} (not a readable image)")
                    continue
                if not force and not missing_renditions(file, dimensions[0]):
                    complete += 1
                    continue
                try:
                    generate_renditions(file)
                except Exception as error:  # one damaged file must not stop the others
                    failed.append(f"{where} ({error.__class__.__name__}: {error})")
                    continue
                made += 1
                if verbose:
                    self.stdout.write(f"Made the renditions of {where}")
        for where in missing:
            self.stderr.write(f"Original missing, no renditions: {where}")
        for where in failed:
            self.stderr.write(f"Could not make the renditions of {where}")
        summary = (
            f"Renditions made for {made} image(s); {complete} already complete; "
            f"{len(missing)} original(s) missing."
        )
        if delete_old:
            summary += f" {deleted} rendition(s) of the former naming deleted."
        self.stdout.write(summary)
        if failed:
            raise CommandError(f"{len(failed)} image(s) could not be processed (listed above).")
