"""Spreadsheet import and export of entries (django-import-export), for staff: the rules.

One row per entry, found by its slug; related entries by their slugs (several separated by
";"); every text in both languages as its own column (``name_en``, ``name_ru``). The rules
every import follows, whatever the model (``StrictResource``):

- Columns the resource does not know refuse the whole file (a typo would otherwise be
  dropped silently); so do more than ``IMPORT_MAX_ROWS`` rows, counted while the file is read
  (``cms.spreadsheets``, which also caps columns and line lengths) and checked again here.
- Each row is validated as the admin form would (``full_clean``), related slugs must exist;
  the preview lists every row's errors before anything is written, and one bad row means
  nothing is written (the admin imports in one transaction, ``cms.spreadsheet_admin``).
- Rows equal to what is stored are skipped (shown as such in the preview).
- Roles: an import by someone without the model's publish permission (an Editor) creates
  drafts only, never changes whether an entry is published, and may not change a published
  entry (the public would see the change at once): such a row is an error, for a Publisher
  to import. Publishers import as they edit.
- Texts starting with =, +, - or @ are exported with an apostrophe (spreadsheet software
  would run them as formulas), which an import removes again.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources, widgets

from .roles import publish_permission
from .spreadsheets import import_max_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = ";"


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message says why."""


def _is_number(text):
    try:
        Decimal(text)
    except (InvalidOperation, ValueError):
        return False
    return True


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def unescape_formula(value):
    if isinstance(value, str) and value[:1] == "'" and value[1:2] and value[1] in "=+-@":
        return value[1:]
    return value


class SlugWidget(widgets.ForeignKeyWidget):
    """A related entry by its slug; an unknown slug is an error naming it."""

    def __init__(self, model):
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        value = (str(value).strip() if value is not None else "") or None
        if value is None:
            return None
        try:
            return self.model.objects.get(slug=value)
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(model)s with the slug “%(slug)s”.")
                % {"model": self.model._meta.verbose_name, "slug": value[:100]}
            ) from None


class SlugsWidget(widgets.ManyToManyWidget):
    """Related entries by their slugs, separated by ";"; unknown slugs are an error."""

    def __init__(self, model):
        super().__init__(model, separator=SEPARATOR, field="slug")

    def clean(self, value, row=None, **kwargs):
        slugs = [item.strip() for item in str(value or "").split(SEPARATOR) if item.strip()]
        found = self.model.objects.filter(slug__in=slugs)
        missing = sorted(set(slugs) - {obj.slug for obj in found})
        if missing:
            raise ValueError(
                _("No %(model)s with the slug “%(slug)s”.")
                % {"model": self.model._meta.verbose_name, "slug": "”, “".join(missing)[:200]}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{SEPARATOR} ".join(sorted(item.slug for item in value.all()))


class StrictResource(resources.ModelResource):
    """The rules every spreadsheet import follows (see the module's docstring)."""

    # {field: value} of an entry nobody has published; None for models without drafts.
    draft_state = {"is_published": False}

    class Meta:
        abstract = True
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = None

    # Whole-file checks ---------------------------------------------------------------------

    def known_columns(self):
        return {field.column_name for field in self.get_import_fields()}

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.user = kwargs.get("user")
        headers = [
            str(header).strip() if header is not None else "" for header in dataset.headers or []
        ]
        headers = self._drop_blanks(dataset, headers)
        unknown = [header for header in headers if header not in self.known_columns()]
        problem = None
        if unknown:
            problem = _(
                "Unknown columns: %(columns)s. The file was not imported; the columns this "
                "import reads are: %(known)s."
            ) % {
                "columns": ", ".join(f"“{name[:60]}”" for name in unknown[:10]),  # "" unnamed
                "known": ", ".join(sorted(self.known_columns())),
            }
        elif len(headers) != len(set(headers)):
            problem = _("A column appears twice. The file was not imported.")
        elif len(dataset) > import_max_rows():
            problem = _(
                "The file has %(rows)d rows; at most %(limit)d are imported at once. Split it "
                "into smaller files."
            ) % {"rows": len(dataset), "limit": import_max_rows()}
        if problem:
            dataset.wipe()  # no row is looked at
            raise ImportRefused(problem)
        dataset.headers = headers

    @staticmethod
    def _drop_blanks(dataset, headers):
        """Leave out what spreadsheet software adds around a table: columns with neither a
        name nor a value, and rows without a value. Returns the headers kept."""

        def blank(value):
            return value is None or (isinstance(value, str) and not value.strip())

        rows = [list(row) for row in dataset]
        keep = [i for i, name in enumerate(headers) if name or any(not blank(r[i]) for r in rows)]
        kept_rows = [[row[i] for i in keep] for row in rows if not all(blank(v) for v in row)]
        if len(keep) != len(headers) or len(kept_rows) != len(rows):
            headers = [headers[i] for i in keep]
            dataset.wipe()
            dataset.headers = headers
            for row in kept_rows:
                dataset.append(row)
        return headers

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        for key, value in row.items():
            row[key] = unescape_formula(value.strip() if isinstance(value, str) else value)
        # A date cell of a workbook is read as a datetime at midnight.
        for field in self.get_import_fields():
            value = row.get(field.column_name)
            if isinstance(field.widget, widgets.DateWidget) and isinstance(value, datetime):
                row[field.column_name] = value.date()

    # Roles -----------------------------------------------------------------------------------

    def may_publish(self):
        return self.user is not None and self.user.has_perm(publish_permission(self._meta.model))

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if self.draft_state:
            instance._stored_publication = (
                None if new else {name: getattr(instance, name) for name in self.draft_state}
            )

    def is_draft(self, state):
        return all(state[name] == value for name, value in self.draft_state.items())

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Related entries are saved after the row; their slugs are checked now, so the
        # preview shows every error of the row.
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
        if self.draft_state and not self.may_publish():
            stored = instance._stored_publication
            # An editor's rows: new ones are drafts, existing ones keep their state.
            for name, value in (stored or self.draft_state).items():
                setattr(instance, name, value)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        skip = super().skip_row(instance, original, row, import_validation_errors)
        stored = getattr(instance, "_stored_publication", None)
        if (
            not skip
            and not import_validation_errors
            and self.draft_state
            and stored is not None
            and not self.is_draft(stored)
            and not self.may_publish()
        ):
            raise ValidationError(
                _(
                    "“%(entry)s” is published: only a publisher may change it by import "
                    "(or edit it in its form)."
                )
                % {"entry": str(original)[:100]}
            )
        return skip

    # Versions --------------------------------------------------------------------------------

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        # One version per entry imported, in its history like an edit in its form.
        for row in result.rows:
            instance = getattr(row, "instance", None)
            if instance is None or instance.pk is None or row.import_type not in ("new", "update"):
                continue
            with reversion.create_revision():
                reversion.set_user(self.user)
                reversion.set_comment(_("Imported from a spreadsheet."))
                reversion.add_to_revision(instance)

    # Export ----------------------------------------------------------------------------------

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))


def language_columns(*names):
    """The column of each language of each translated text: ``name_en``, ``name_ru``, …"""
    return [f"{name}_{code}" for name in names for code, _label in settings.LANGUAGES]
