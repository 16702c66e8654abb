"""The forms of the spreadsheet import (cms/spreadsheet_admin.py): the upload, refused at
once when it is too big or plainly not what it says, and the confirmation, whose hidden choices
are checked, so a tampered one is a form error rather than a server error."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ConfirmImportForm, ImportForm


def import_max_file_size():
    return getattr(settings, "IMPORT_MAX_FILE_SIZE", 2 * 1024 * 1024)


class SpreadsheetImportForm(ImportForm):
    """The upload, refused at once when it is too big or plainly not a CSV or XLSX file."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = import_max_file_size()
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; at most %(limit)s can be imported at once.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if getattr(self, "not_stored", None) is not None:  # set by SpreadsheetAdmin
            self.add_error("import_file", self.not_stored.message)
        upload, choice = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or choice in (None, ""):
            return cleaned
        fmt = self.formats[int(choice)]
        head = upload.read(4)
        upload.seek(0)
        is_zip = head.startswith(b"PK\x03\x04")
        if issubclass(fmt, XLSX) and not is_zip:
            self.add_error("import_file", _("This is not an XLSX file (Excel workbook)."))
        elif issubclass(fmt, CSV) and (is_zip or b"\x00" in upload.read(4096)):
            upload.seek(0)
            self.add_error(
                "import_file",
                _("This is not a CSV text file: choose XLSX for an Excel workbook."),
            )
        upload.seek(0)
        return cleaned


class SpreadsheetConfirmForm(ConfirmImportForm):
    """The confirmation of a previewed import. ``format`` and ``resource`` are positions in
    the admin's lists, which ``for_admin`` gives the form."""

    format_count = resource_count = 0

    @classmethod
    def for_admin(cls, admin, request):
        return type(
            cls.__name__,
            (cls,),
            {
                "format_count": len(admin.get_import_formats()),
                "resource_count": len(admin.get_import_resource_classes(request)),
            },
        )

    def clean_format(self):
        return self._position("format", self.format_count)

    def clean_resource(self):
        if self.cleaned_data.get("resource", "") == "":
            return ""
        return self._position("resource", self.resource_count)

    def _position(self, name, count):
        value = self.cleaned_data[name]
        if not (value.isascii() and value.isdigit() and len(value) < 4 and int(value) < count):
            raise ValidationError(
                _("This confirmation is not valid: import the file again."), code="invalid"
            )
        return value
