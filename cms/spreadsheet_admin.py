"""Spreadsheet import and export in the admin (django-import-export), one mixin for every
content admin that offers it: ``SpreadsheetAdmin``, with a ``resource_classes`` of
``<app>/resources.py`` (see cms/resources.py for the rules of a row).

The import shows a preview of what would be created, changed and skipped, with every row's
errors, before anything is written; confirming writes all rows in one transaction or none.
The uploaded file waits for the confirmation in ``IMPORT_PREVIEW_DIR`` (``PreviewStorage``),
removed when the preview refuses it, when the confirmation has read it, and after
``IMPORT_PREVIEW_MAX_AGE`` (a day) by the next import. Refused with a message, nothing
written: a file that is not CSV (UTF-8) or XLSX, one over ``IMPORT_MAX_FILE_SIZE`` bytes,
broken encoding, unknown columns, too many rows or columns (counted while the file is read,
see cms/spreadsheets.py), a file the disk has no room for. Only staff who may both add and
change the model see the import; those who may view it, the export. With a task backend that
queues, an import of more than ``IMPORT_QUEUE_ROWS`` rows is done by the worker once confirmed
(cms/queued_imports.py); the import page lists its outcome.
"""

import contextlib
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.tmp_storages import TempFolderStorage

from . import queued_imports
from .background import made_off_the_request
from .spreadsheet_forms import SpreadsheetConfirmForm, SpreadsheetImportForm
from .spreadsheet_xlsx import BoundedXLSX
from .spreadsheets import BoundedCSV, SpreadsheetRefused
from .uploads import UploadNotStored


def preview_folder():
    """Where uploaded files wait between their preview and its confirmation."""
    folder = getattr(settings, "IMPORT_PREVIEW_DIR", None)
    return Path(folder or Path(tempfile.gettempdir()) / "inotomsk-import-previews")


class PreviewStorage(TempFolderStorage):
    """The uploaded file kept between the preview and its confirmation, in a folder of its own
    (``IMPORT_PREVIEW_DIR``) under a random name; stored whole or not at all."""

    def save(self, data):
        self.name = uuid.uuid4().hex
        folder = preview_folder()
        path = self.get_full_path()
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            with open(path, "xb") as file:
                file.write(data)
        except OSError as error:  # a full disk: nothing half-written is left
            path.unlink(missing_ok=True)
            raise UploadNotStored("import_file", error) from error

    def get_full_path(self):
        # The name comes back from the browser with the confirmation: one of ours, or nothing.
        name = self.name if isinstance(self.name, str) and len(self.name) == 32 else ""
        if not name.isalnum() or not name.isascii():
            raise FileNotFoundError(self.name)
        return preview_folder() / name

    def remove(self):
        with contextlib.suppress(FileNotFoundError):  # not one of ours: nothing to remove
            self.get_full_path().unlink(missing_ok=True)


def preview_max_age():
    return getattr(settings, "IMPORT_PREVIEW_MAX_AGE", 24 * 60 * 60)


def remove_old_previews():
    """Delete the preview files older than ``IMPORT_PREVIEW_MAX_AGE`` seconds (a day): those
    of previews nobody confirmed or refused, in any process."""
    cutoff = time.time() - preview_max_age()
    try:
        paths = list(preview_folder().iterdir())
    except FileNotFoundError:
        return
    for path in paths:
        try:
            if len(path.name) == 32 and path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # removed by another process meanwhile


class SpreadsheetAdmin(ImportExportMixin):
    """Import and export of the model's entries as CSV or XLSX (see the module docstring)."""

    import_form_class = SpreadsheetImportForm
    tmp_storage_class = PreviewStorage
    formats = [CSV, XLSX]
    # Read within limits while the file is read (cms/spreadsheets.py), not after.
    import_formats = [BoundedCSV, BoundedXLSX]
    export_formats = [CSV, XLSX]
    # CSV files staff exported read back as they were written (UTF-8; a BOM is skipped).
    from_encoding = "utf-8-sig"
    to_encoding = "utf-8-sig"
    import_error_display = ("message", "row")
    import_template_name = "admin/cms/spreadsheet_import.html"

    def get_confirm_form_class(self, request):
        return SpreadsheetConfirmForm.for_admin(self, request)

    def _has(self, request, action):
        opts = self.opts
        codename = get_permission_codename(action, opts)
        return request.user.has_perm(f"{opts.app_label}.{codename}")

    def has_import_permission(self, request):
        return request.user.is_staff and self._has(request, "add") and self._has(request, "change")

    def has_export_permission(self, request):
        return request.user.is_staff and (
            self._has(request, "view") or self._has(request, "change")
        )

    # The preview's file is kept only while a confirmation may need it: removed when the
    # preview refuses the file or fails, once the confirmation has read it, and after a day.

    def import_action(self, request, **kwargs):
        remove_old_previews()
        try:
            response = self._import_action(request, **kwargs)
        except BaseException:
            self._remove_preview(request)
            raise
        context = getattr(response, "context_data", None) or {}
        if "confirm_form" not in context:
            self._remove_preview(request)  # refused: nothing will confirm it
        if "opts" in context:  # the page itself: the editor's queued imports and their outcome
            context["queued_imports"] = [
                (job, queued_imports.describe(job))
                for job in queued_imports.recent_imports(request.user, self.model)
            ]
        return response

    def _import_action(self, request, **kwargs):
        try:
            return super().import_action(request, **kwargs)
        except UploadNotStored as error:
            if hasattr(request, "upload_not_stored"):
                raise
            # The file could not be kept for the preview (a full disk): the form again, with
            # the error (SpreadsheetImportForm.clean), nothing read or written.
            request.upload_not_stored = error
        return super().import_action(request, **kwargs)

    @staticmethod
    def _remove_preview(request):
        upload = request.FILES.get("import_file") if request.method == "POST" else None
        name = getattr(upload, "tmp_storage_name", None)  # set once the file is kept
        if name:
            PreviewStorage(name=name).remove()

    def process_import(self, request, **kwargs):
        name = request.POST.get("import_file_name", "") if request.method == "POST" else ""
        try:
            if self._queued(request):
                opts = self.opts
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
                )
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # Confirmed twice, or after a day: the file is gone; nothing was imported.
            messages.error(
                request,
                _(
                    "The file previewed is no longer kept (a preview is kept for a day and "
                    "imported once). Nothing was imported: import the file again."
                ),
            )
            opts = self.opts
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        finally:
            if name:
                PreviewStorage(name=Path(name).name).remove()

    def _queued(self, request):
        """Queue the confirmed import for the worker if it is large (cms/queued_imports.py)."""
        if not made_off_the_request():
            return None
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return None  # the library shows the form's errors
        input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])](
            encoding=self.from_encoding
        )
        preview = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        data = preview.read()
        dataset = input_format.create_dataset(data)
        return queued_imports.queue_if_large(self, request, confirm_form, data, dataset)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        form.not_stored = getattr(request, "upload_not_stored", None)
        return form

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, SpreadsheetRefused):
            message = str(error)
        elif isinstance(error, UnicodeDecodeError):
            message = _(
                "The file is not UTF-8 text, so its letters would be garbled. Save it as "
                "“CSV UTF-8” or as an XLSX workbook and try again."
            )
        else:
            message = _("The file could not be read as the format chosen. Nothing was imported.")
        form.add_error("import_file", message)

    def get_import_data_kwargs(self, **kwargs):
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        # All or nothing: one invalid row rolls back every row.
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Rows changed since the preview: the transaction was rolled back.
            messages.error(
                request,
                _(
                    "Nothing was imported: the file no longer imports without errors (the "
                    "entries changed since the preview). Import it again to see why."
                ),
            )
            opts = self.opts
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)
