"""What an uploaded document is, read from its content: never from its name or the type the
browser sent.

A PDF starts with ``%PDF-`` and ends with ``%%EOF``. DOCX and XLSX (Office Open XML) and ODT
and ODS (OpenDocument) are zip archives: an OOXML file names its main part's type in
``[Content_Types].xml``, an OpenDocument file has a first, uncompressed ``mimetype`` entry
with its type. Only the archive's directory and those two small entries are read, so a zip
bomb costs nothing. Anything else (an HTML page or script renamed ``.pdf``, an empty file, a
zip of something else, a macro-enabled workbook) is refused with a message for the form.
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PDF, DOCX, XLSX, ODT, ODS = "pdf", "docx", "xlsx", "odt", "ods"


@dataclass(frozen=True)
class Format:
    code: str
    label: str
    content_type: str


FORMATS = {
    PDF: Format(PDF, "PDF", "application/pdf"),
    DOCX: Format(
        DOCX,
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    XLSX: Format(XLSX, "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ODT: Format(ODT, "ODT", "application/vnd.oasis.opendocument.text"),
    ODS: Format(ODS, "ODS", "application/vnd.oasis.opendocument.spreadsheet"),
}
FORMAT_CHOICES = [(code, fmt.label) for code, fmt in FORMATS.items()]

# The main part of each Office Open XML format, as [Content_Types].xml names it.
OOXML_MAIN_PARTS = {
    DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "word/document.xml",
    ),
    XLSX: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "xl/workbook.xml",
    ),
}
ODF_TYPES = {FORMATS[ODT].content_type: ODT, FORMATS[ODS].content_type: ODS}
# Small parts read to decide; anything bigger is not what it claims to be.
MAX_CONTENT_TYPES_BYTES = 256 * 1024
MAX_ZIP_ENTRIES = 10_000

NOT_A_DOCUMENT = _(
    "This file is not a PDF, DOCX, XLSX, ODT or ODS document (its content was checked, not "
    "its name). Upload the document itself, saved in one of these formats."
)
ZIP_NOT_OFFICE = _(
    "This file is a zip archive, not a DOCX, XLSX, ODT or ODS document. Upload the document itself."
)
MACROS = _("Documents with macros cannot be uploaded. Save it as a DOCX or XLSX without macros.")
EMPTY = _("The file is empty.")


def max_size():
    return settings.DOCUMENT_MAX_SIZE


def detect(file):
    """The format code of ``file`` (an open binary file), or a ValidationError."""
    size = file.size if hasattr(file, "size") else None
    if size == 0:
        raise ValidationError(EMPTY, code="empty")
    if size is not None and size > max_size():
        raise ValidationError(
            _("The file is %(size)s; documents may be at most %(limit)s."),
            code="too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_size())},
        )
    file.seek(0)
    head = file.read(8)
    if not head:
        raise ValidationError(EMPTY, code="empty")
    try:
        if head.startswith(b"%PDF-"):
            return _pdf(file)
        if head.startswith(b"PK\x03\x04"):
            return _office(file)
    finally:
        file.seek(0)
    raise ValidationError(NOT_A_DOCUMENT, code="not_a_document")


def _pdf(file):
    file.seek(0, 2)
    end = file.tell()
    file.seek(max(0, end - 1024))
    if b"%%EOF" not in file.read():
        raise ValidationError(
            _("This PDF file is incomplete (it has no end marker). Upload the whole file."),
            code="truncated_pdf",
        )
    return PDF


def _office(file):
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")
        names = {entry.filename for entry in entries}
        if entries and entries[0].filename == "mimetype":
            return _opendocument(archive, entries[0])
        if "[Content_Types].xml" in names:
            return _office_open_xml(archive, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError):
        raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office") from None
    raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")


def _opendocument(archive, entry):
    if entry.compress_type != zipfile.ZIP_STORED or entry.file_size > 100:
        raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")
    kind = archive.read(entry).decode("ascii", "replace").strip()
    if kind in ODF_TYPES and "content.xml" in archive.namelist():
        return ODF_TYPES[kind]
    raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")


def _office_open_xml(archive, names):
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")
    content_types = archive.read(info).decode("utf-8", "replace")
    if "macroEnabled" in content_types or any(name.endswith("vbaProject.bin") for name in names):
        raise ValidationError(MACROS, code="macros")
    for code, (main_type, main_part) in OOXML_MAIN_PARTS.items():
        if f'"{main_type}"' in content_types and main_part in names:
            return code
    raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")
