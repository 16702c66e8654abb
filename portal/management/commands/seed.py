"""Add the seed content a database lacks, never overwriting or bringing back what staff changed."""

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Max

from cms.translated import LANGUAGES, translated_fields
from portal.signals import content_changed

HELP = """Add the objects of the seed fixture that this database has never had; safe on a live
database, unlike `loaddata seed`, which overwrites every seed row it finds and re-creates deleted
ones. For each object of the fixture, in one transaction:
(1) its primary key is taken: the row is left as it is (staff edits are kept);
(2) it was deleted by staff: it is not re-created. Deleted means a DELETION entry in the admin log,
or a primary key below the highest one of its table (the slot was handed out, so the row was
there and has been removed, by the admin, the shell or SQL);
(3) another row already has one of its unique values (slug, name, number, project and
stakeholder): skipped with a note;
(4) it refers to a row that does not exist and is not created by this run: skipped.
Links are added only for objects this run creates: many-to-many fields of a created object, and
link rows (project stakeholders, cluster memberships) joining at least one created object, never
between two objects that were already there. Running it again adds nothing.
(5) Translations added to the fixture later (the Russian columns) reach seed rows nobody has
edited: a row gets them only if no change of it is in the admin log, every other field the
fixture gives still holds the fixture's value (an edit in the admin changes ``updated_at``
too), and each of those translation columns is empty or already holds the fixture's text.
Any other row is left as it is."""


def default_fixture():
    for folder in settings.FIXTURE_DIRS:
        path = Path(folder) / "seed.json"
        if path.exists():
            return path
    raise CommandError("No seed.json in FIXTURE_DIRS; pass --fixture.")


def link_models():
    """Explicit many-to-many through models: their rows are links, not content of their own."""
    return {
        field.remote_field.through
        for model in apps.get_models()
        for field in model._meta.local_many_to_many
        if not field.remote_field.through._meta.auto_created
    }


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("--fixture", help="a JSON fixture (default: seed.json in FIXTURE_DIRS)")

    def handle(self, *args, fixture, verbosity, **options):
        path = Path(fixture) if fixture else default_fixture()
        self.verbosity = verbosity
        text = path.read_text(encoding="utf-8")
        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            created, kept, deleted, skipped = self.seed(text)
            translated = self.translate_unedited(text)
        if translated:
            content_changed.send(sender=self.__class__)  # update() sends no signal
        counts = (
            f"{kept} already there ({translated} of them unedited and given the fixture's new "
            f"translations, the others left as they are), {deleted} deleted by staff and not "
            f"re-created, {skipped} skipped"
        )
        if created or translated:
            self.stdout.write(self.style.SUCCESS(f"Seed: created {created}; {counts}."))
        else:
            self.stdout.write(f"Content found; the seed added nothing: {counts}.")

    def note(self, message, level=1):
        if self.verbosity >= level:
            self.stdout.write(f"  {message}")

    def seed(self, text):
        objects = list(serializers.deserialize("json", text, using=DEFAULT_DB_ALIAS))
        by_model = {}
        for item in objects:
            by_model.setdefault(type(item.object), []).append(item.object.pk)
        present = {
            model: set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))
            for model, pks in by_model.items()
        }
        highest = {model: model._base_manager.aggregate(top=Max("pk"))["top"] for model in by_model}
        logged_deleted = {
            model: set(
                LogEntry.objects.filter(
                    action_flag=DELETION, content_type=ContentType.objects.get_for_model(model)
                ).values_list("object_id", flat=True)
            )
            for model in by_model
        }

        kept = deleted = skipped = 0
        candidates = []
        for item in objects:
            obj = item.object
            model, label = type(obj), f"{obj._meta.label_lower} {obj.pk}"
            if obj.pk in present[model]:
                kept += 1
            elif str(obj.pk) in logged_deleted[model]:
                deleted += 1
                self.note(f"{label} was deleted in the admin; not re-created", level=2)
            elif highest[model] is not None and obj.pk < highest[model]:
                deleted += 1
                self.note(f"{label} was deleted (a higher key exists); not re-created", level=2)
            else:
                try:
                    obj.validate_unique()
                    obj.validate_constraints()
                except ValidationError as error:
                    skipped += 1
                    self.note(f"{label} skipped: {'; '.join(error.messages)}")
                else:
                    candidates.append(item)

        # Drop candidates that refer to missing rows (or, for links, join no new object),
        # until what is left holds together.
        links = link_models()
        exists_cache = {}

        def exists(model, pk, new):
            if (model, pk) in new:
                return True
            if (model, pk) not in exists_cache:
                exists_cache[model, pk] = model._base_manager.filter(pk=pk).exists()
            return exists_cache[model, pk]

        changed = True
        while changed:
            new = {(type(item.object), item.object.pk) for item in candidates}
            keep = []
            for item in candidates:
                obj = item.object
                targets = [
                    (field.related_model, getattr(obj, field.attname))
                    for field in obj._meta.concrete_fields
                    if field.many_to_one or field.one_to_one
                ]
                targets = [(model, pk) for model, pk in targets if pk is not None]
                missing = [
                    f"{m._meta.label_lower} {pk}" for m, pk in targets if not exists(m, pk, new)
                ]
                if missing:
                    self.note(
                        f"{obj._meta.label_lower} {obj.pk} skipped: refers to missing {', '.join(missing)}"
                    )
                elif type(obj) in links and not any(target in new for target in targets):
                    self.note(
                        f"{obj._meta.label_lower} {obj.pk} skipped: a link between existing objects",
                        level=2,
                    )
                else:
                    keep.append(item)
                    continue
                skipped += 1
            changed = len(keep) != len(candidates)
            candidates = keep

        new = {(type(item.object), item.object.pk) for item in candidates}
        links_of = {}
        for item in candidates:
            links_of[item] = item.m2m_data or {}  # save() forgets them
            item.save(using=DEFAULT_DB_ALIAS, save_m2m=False)  # raw, as loaddata saves
        for item in candidates:
            for name, pks in links_of[item].items():
                target = item.object._meta.get_field(name).related_model
                getattr(item.object, name).set([pk for pk in pks if exists(target, pk, new)])

        created_models = {type(item.object) for item in candidates}
        if created_models:
            connection = connections[DEFAULT_DB_ALIAS]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), created_models):
                    cursor.execute(sql)
        return len(candidates), kept, deleted, skipped

    def translate_unedited(self, text):
        """Step (5) of the help: the fixture's translation columns into the seed rows nobody
        has edited. Returns the number of rows given them."""
        entries = [entry for entry in json.loads(text) if "pk" in entry]
        by_model = {}
        for entry in entries:
            model = apps.get_model(entry["model"])
            columns = translation_columns(model)
            new = {name: value for name, value in entry["fields"].items() if name in columns}
            if new:
                by_model.setdefault(model, []).append((entry, new))
        updated = 0
        for model, wanted in by_model.items():
            updated += self.translate_model(model, wanted)
        return updated

    def translate_model(self, model, wanted):
        fixture = {entry["pk"]: entry for entry, _new in wanted}
        changed_in_admin = set(
            LogEntry.objects.filter(
                action_flag=CHANGE,
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=[str(pk) for pk in fixture],
            ).values_list("object_id", flat=True)
        )
        fields = {
            name: model._meta.get_field(name)
            for entry, _new in wanted
            for name in entry["fields"]
            if not model._meta.get_field(name).many_to_many
        }
        columns = [field.attname for field in fields.values()]
        stored = {
            row["pk"]: row
            for row in model._base_manager.filter(pk__in=fixture).values("pk", *columns)
        }
        updated = 0
        for entry, new in wanted:
            pk, label = entry["pk"], f"{model._meta.label_lower} {entry['pk']}"
            row = stored.get(pk)
            if row is None:
                continue  # deleted or skipped: nothing to translate
            if str(pk) in changed_in_admin:
                self.note(f"{label} was changed in the admin; its translations left", level=2)
                continue
            edited = [
                name
                for name, value in entry["fields"].items()
                if name in fields
                and name not in new
                and row[fields[name].attname] != fields[name].to_python(value)
            ]
            written = [name for name in new if row[name] not in (None, "", new[name])]
            if edited or written:
                self.note(
                    f"{label} was edited ({', '.join(edited + written)}); its translations left",
                    level=2,
                )
                continue
            changes = {name: value for name, value in new.items() if row[name] != value}
            if changes:
                model._base_manager.filter(pk=pk).update(**changes)
                updated += 1
        return updated


def translation_columns(model):
    """The columns of ``model``'s texts in the languages other than the default one, which
    staff may fill later than the seed (``name_ru``)."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return {
        f"{name}_{code}"
        for name in translated_fields(model)
        for code in LANGUAGES
        if code != default
    }
