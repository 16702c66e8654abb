"""What an uploaded document is, read from its content: never from its name or the type the
browser sent.

A PDF starts with ``%PDF-`` and ends with ``%%EOF``. DOCX and XLSX (Office Open XML) and ODT
and ODS (OpenDocument) are zip archives: an OOXML file names its main part's type in
``[Content_Types].xml``, an OpenDocument file has a first, uncompressed ``mimetype`` entry
with its type. Anything else (an HTML page or script renamed ``.pdf``, an empty file, a zip of
something else) is refused with a message for the form, and so are Office files that could
harm whoever opens them:

- macros: VBA (a ``vbaProject`` part, a macro-enabled type), Excel 4.0 macro sheets and dialog
  sheets (``xl/macrosheets/``, ``xl/dialogsheets/``, or their content or relationship types),
  ActiveX controls; OpenDocument ``Basic/`` and ``Scripts/``;
- content fetched from elsewhere when the file is opened: any relationship with
  ``TargetMode="External"`` other than a hyperlink (a remote template in
  ``word/_rels/settings.xml.rels``, linked pictures, frames, OLE links) in any ``.rels`` part,
  and workbook links to other files (``xl/externalLinks/``, which also carry DDE);
- zip bombs: the archive's directory may declare at most ``DOCUMENT_MAX_UNPACKED_SIZE`` bytes
  unpacked in all (zipfile never unpacks more than an entry declares), the archive and any
  entry over 1 MB may be packed at most ``MAX_RATIO`` to 1, and archives inside it (an
  embedded workbook) are checked the same way, at most ``MAX_NESTING`` deep.

Only the directory, the first bytes of each entry, the small ``.rels`` and content-types parts
and embedded archives are read, within those limits.
"""

import io
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

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
MAX_RELS_BYTES = 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
# Packing: XML packs some 5 to 20 to 1, pictures hardly; a bomb packs 1,000 to 1.
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024
MAX_NESTING = 2
ZIP_MAGIC = b"PK\x03\x04"
# Parts, content types and relationship types of macros (compared in lower case).
MACRO_FOLDERS = ("xl/macrosheets/", "xl/dialogsheets/", "word/activex/", "xl/activex/")
MACRO_MARKERS = ("macroenabled", "vbaproject", "macrosheet", "dialogsheet", "activex")
ODF_MACRO_FOLDERS = ("basic/", "scripts/")
EXTERNAL_FOLDERS = ("xl/externallinks/",)

NOT_A_DOCUMENT = _(
    "This file is not a PDF, DOCX, XLSX, ODT or ODS document (its content was checked, not "
    "its name). Upload the document itself, saved in one of these formats."
)
ZIP_NOT_OFFICE = _(
    "This file is a zip archive, not a DOCX, XLSX, ODT or ODS document. Upload the document itself."
)
MACROS = _("Documents with macros cannot be uploaded. Save it as a DOCX or XLSX without macros.")
EMPTY = _("The file is empty.")
EXTERNAL = _(
    "The document loads content from elsewhere when it is opened (a remote template, linked "
    "pictures or links to other files), which can harm whoever opens it. Save it with "
    "everything embedded and without such links, and upload it again."
)
TOO_PACKED = _(
    "The document is packed far more tightly than documents are (a “zip bomb”) or holds "
    "archives within archives; it cannot be uploaded."
)


def max_size():
    return settings.DOCUMENT_MAX_SIZE


def max_unpacked():
    return getattr(settings, "DOCUMENT_MAX_UNPACKED_SIZE", 100 * 1024 * 1024)


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
        _check_packing(archive, entries, depth=0, budget=[max_unpacked()])
        if entries and entries[0].filename == "mimetype":
            return _opendocument(archive, entries[0])
        if "[Content_Types].xml" in names:
            return _office_open_xml(archive, names)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,  # an encrypted entry
        ValueError,
        zlib.error,  # damaged packed data
    ):
        raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office") from None
    raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")


def _opendocument(archive, entry):
    if entry.compress_type != zipfile.ZIP_STORED or entry.file_size > 100:
        raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")
    kind = archive.read(entry).decode("ascii", "replace").strip()
    if any(name.lower().startswith(ODF_MACRO_FOLDERS) for name in archive.namelist()):
        raise ValidationError(MACROS, code="macros")
    if kind in ODF_TYPES and "content.xml" in archive.namelist():
        return ODF_TYPES[kind]
    raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")


def _office_open_xml(archive, names):
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")
    content_types = archive.read(info).decode("utf-8", "replace")
    lowered = [name.lower() for name in names]
    if any(marker in content_types.lower() for marker in MACRO_MARKERS) or any(
        name.endswith("vbaproject.bin") or name.startswith(MACRO_FOLDERS) for name in lowered
    ):
        raise ValidationError(MACROS, code="macros")
    if any(name.startswith(EXTERNAL_FOLDERS) for name in lowered):
        raise ValidationError(EXTERNAL, code="external")
    for name in names:
        if name.lower().endswith(".rels"):
            _check_relationships(archive, archive.getinfo(name))
    for code, (main_type, main_part) in OOXML_MAIN_PARTS.items():
        if f'"{main_type}"' in content_types and main_part in names:
            return code
    raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")


def _too_packed():
    return ValidationError(TOO_PACKED, code="zip_bomb")


def _check_packing(archive, entries, depth, budget):
    """Refuse an archive that unpacks to too much, packs too tightly or nests too deep;
    ``budget`` is the bytes still allowed unpacked, shared with the archives inside."""
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    budget[0] -= unpacked
    if budget[0] < 0:
        raise ValidationError(
            _("The document would unpack to more than %(limit)s; it cannot be uploaded."),
            code="too_big_unpacked",
            params={"limit": filesizeformat(max_unpacked())},
        )
    if unpacked > RATIO_MIN_BYTES and unpacked > MAX_RATIO * max(packed, 1):
        raise _too_packed()
    for entry in entries:
        if entry.file_size > RATIO_MIN_BYTES and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise _too_packed()
        if entry.file_size < 22 or entry.is_dir():  # smaller than any zip
            continue
        with archive.open(entry) as source:
            if source.read(len(ZIP_MAGIC)) != ZIP_MAGIC:
                continue
        # An archive inside (an embedded workbook): the same checks, from memory.
        if depth >= MAX_NESTING or entry.file_size > max_size():
            raise _too_packed()
        try:
            inner = zipfile.ZipFile(io.BytesIO(archive.read(entry)))
        except zipfile.BadZipFile:
            continue  # not an archive after all: nothing opens it as one
        with inner:
            inner_entries = inner.infolist()
            if len(inner_entries) > MAX_ZIP_ENTRIES:
                raise _too_packed()
            _check_packing(inner, inner_entries, depth + 1, budget)


def _check_relationships(archive, info):
    """Refuse a relationships part with an external target other than a hyperlink, or a
    macro's relationship type."""
    if info.file_size > MAX_RELS_BYTES:
        raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")
    problems = []

    def start(tag, attrs):
        kind = attrs.get("Type", "").lower()
        if any(marker in kind for marker in MACRO_MARKERS):
            problems.append(ValidationError(MACROS, code="macros"))
        elif attrs.get("TargetMode", "").lower() == "external" and not kind.endswith("/hyperlink"):
            problems.append(ValidationError(EXTERNAL, code="external"))

    def no_doctype(*args):
        raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office")

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_doctype  # no entities: OOXML has none
    try:
        parser.Parse(archive.read(info), True)
    except expat.ExpatError:
        raise ValidationError(ZIP_NOT_OFFICE, code="zip_not_office") from None
    if problems:
        raise problems[0]
