"""The XLSX reader of the import (see ``cms/spreadsheets.py`` for its limits).

Only the parts needed are read, each as a stream by expat: the package's and the workbook's
relationships, the workbook (its sheets, the active one, its date system), the styles (which
cell styles show dates), the shared strings and the active sheet up to the end of its cells.
No tree is built, so memory holds only the values kept; every element counts against
``IMPORT_MAX_XML_ELEMENTS``, which bounds the time. Values are what openpyxl reads with
``data_only`` (a formula's last computed value; dates by their cell style).
"""

import io
import posixpath
import re
import zipfile
from xml.parsers import expat

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from .spreadsheets import SpreadsheetRefused, Table, blank, limit

RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAX_ZIP_ENTRIES = 10_000
CHUNK = 64 * 1024
CELL_REFERENCE = re.compile(r"([A-Z]{1,3})[0-9]*")


def _unreadable():
    return SpreadsheetRefused(
        _("The file could not be read as an XLSX workbook. Nothing was imported.")
    )


class _Stop(Exception):
    """Everything needed from a part is read."""


class Workbook:
    """The active sheet of an XLSX workbook as a Table, read part by part with expat."""

    def __init__(self, archive):
        self.archive = archive
        self.elements = limit("IMPORT_MAX_XML_ELEMENTS", 1_000_000)
        self.table = Table(fill=None)

    def parse(self, name, start, end=None, text=None):
        """Feed the part ``name`` to the handlers, which get local names (no namespace)."""
        try:
            source = self.archive.open(name)
        except KeyError:
            raise _unreadable() from None
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True

        def refuse_doctype(*args):
            raise _unreadable()  # OOXML has none: entities could only amplify

        def on_start(tag, attrs):
            self.elements -= 1
            if self.elements < 0:
                raise SpreadsheetRefused(
                    _(
                        "The workbook is too complex to read (over %(limit)s cells and "
                        "formatting parts). Copy the table into a new workbook, or save it as "
                        "CSV. Nothing was imported."
                    )
                    % {"limit": limit("IMPORT_MAX_XML_ELEMENTS", 1_000_000)}
                )
            start(tag.rpartition(" ")[2], attrs)

        parser.StartDoctypeDeclHandler = refuse_doctype
        parser.StartElementHandler = on_start
        if end:
            parser.EndElementHandler = lambda tag: end(tag.rpartition(" ")[2])
        if text:
            parser.CharacterDataHandler = text
        with source:
            try:
                while chunk := source.read(CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
            except _Stop:
                pass
            except expat.ExpatError:
                raise _unreadable() from None

    def relationships(self, part):
        """{id: (type, part name)} of a part's relationships."""
        folder, base = posixpath.split(part)
        found = {}

        def start(tag, attrs):
            if tag == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                name = target[1:] if target.startswith("/") else posixpath.join(folder, target)
                found[attrs.get("Id")] = (attrs.get("Type", ""), posixpath.normpath(name))

        self.parse(posixpath.join(folder, "_rels", base + ".rels"), start)
        return found

    def read(self):
        main = [
            name
            for kind, name in self.relationships("").values()
            if kind.endswith("/officeDocument")
        ]
        if not main:
            raise _unreadable()
        sheets, book = [], {"active": 0, "epoch": WINDOWS_EPOCH}

        def start(tag, attrs):
            if tag == "sheet":
                sheets.append(attrs.get(f"{RELATIONSHIPS} id"))
            elif tag == "workbookView" and attrs.get("activeTab", "").isdigit():
                book["active"] = int(attrs["activeTab"])
            elif tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                book["epoch"] = MAC_EPOCH

        self.parse(main[0], start)
        parts = self.relationships(main[0])
        by_type = {kind.rpartition("/")[2]: name for kind, name in parts.values()}
        self.epoch = book["epoch"]
        self.dates, self.durations = self.read_styles(by_type.get("styles"))
        self.strings = self.read_strings(by_type.get("sharedStrings"))
        if not sheets:
            raise _unreadable()
        kind, name = parts.get(sheets[min(book["active"], len(sheets) - 1)], ("", ""))
        if not kind.endswith("/worksheet"):
            raise _unreadable()
        self.read_sheet(name)
        return self.table.dataset()

    def read_styles(self, name):
        """The indexes of the cell styles that show dates, and those that show durations."""
        if name is None:
            return set(), set()
        custom, formats, inside = {}, [], []

        def start(tag, attrs):
            inside.append(tag)
            if tag == "numFmt":
                custom[attrs.get("numFmtId")] = attrs.get("formatCode", "")
            elif tag == "xf" and inside[-2:-1] == ["cellXfs"]:
                formats.append(attrs.get("numFmtId", "0"))

        self.parse(name, start, lambda tag: inside.pop())
        codes = [
            custom[n] if n in custom else BUILTIN_FORMATS.get(int(n) if n.isdigit() else 0, "")
            for n in formats
        ]
        dates = {i for i, code in enumerate(codes) if is_date_format(code)}
        return dates, {i for i, code in enumerate(codes) if is_timedelta_format(code)}

    def read_strings(self, name):
        """The shared strings: each ``si``'s text, phonetic runs (``rPh``) left out."""
        strings, parts, state = [], [], {"text": False, "phonetic": 0}
        if name is None:
            return strings

        def start(tag, attrs):
            if tag == "rPh":
                state["phonetic"] += 1
            state["text"] = tag == "t" and not state["phonetic"]

        def end(tag):
            state["text"] = False
            if tag == "rPh":
                state["phonetic"] -= 1
            elif tag == "si":
                strings.append("".join(parts))
                parts.clear()

        self.parse(name, start, end, lambda data: state["text"] and parts.append(data))
        return strings

    def read_sheet(self, name):
        table, max_columns = self.table, self.table.max_columns
        row, parts = {}, []
        cell = {"column": 0, "text": False, "phonetic": 0}

        def start(tag, attrs):
            if tag == "c":
                match = CELL_REFERENCE.fullmatch(attrs.get("r") or "")
                column = column_index_from_string(match[1]) if match else cell["column"] + 1
                cell.update(column=column, kind=attrs.get("t", "n"), style=attrs.get("s", "0"))
                parts.clear()
                cell["value"] = None
            elif tag == "rPh":
                cell["phonetic"] += 1
            elif tag in ("v", "t") and not cell["phonetic"]:
                cell["text"] = True
                cell["value"] = ""

        def end(tag):
            cell["text"] = False
            if tag == "c":
                text = "".join(parts)
                if cell["value"] is None or not text:
                    return  # an empty cell, perhaps styled: skipped wherever it is
                value = self.value(cell["kind"], cell["style"], text)
                if not blank(value):
                    if cell["column"] > max_columns:
                        raise table.too_wide()
                    row[cell["column"]] = value
            elif tag == "rPh":
                cell["phonetic"] -= 1
            elif tag == "row":
                if row:
                    table.add([row.get(n) for n in range(1, max(row) + 1)])
                row.clear()
                cell["column"] = 0
            elif tag == "sheetData":
                raise _Stop  # the rest is formatting

        self.parse(name, start, end, lambda data: cell["text"] and parts.append(data))

    def value(self, kind, style, text):
        """A cell's value as openpyxl reads it with ``data_only``: what was last computed."""
        try:
            if kind == "s":
                return self.strings[int(text)]
            if kind == "b":
                return text.strip() in ("1", "true")
            if kind == "d":
                return from_ISO8601(text)
            if kind in ("inlineStr", "str", "e"):
                return text
            number = float(text) if re.search(r"[.eE]", text) else int(text)
        except (ValueError, IndexError):
            raise _unreadable() from None
        style = int(style) if style.isdigit() else 0
        if style in self.dates:
            try:
                return from_excel(number, self.epoch, timedelta=style in self.durations)
            except (OverflowError, ValueError):
                return number
        return number


def read_xlsx(data):
    """The Dataset of the active sheet of an XLSX workbook (bytes), read within the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _unreadable() from None
    with archive:
        entries = archive.infolist()
        most = limit("IMPORT_MAX_UNPACKED_SIZE", 20 * 1024 * 1024)
        if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > most:
            raise SpreadsheetRefused(
                _("The workbook unpacks to more than %(limit)s. Nothing was imported.")
                % {"limit": filesizeformat(most)}
            )
        try:
            return Workbook(archive).read()
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError):
            raise _unreadable() from None  # damaged, encrypted or oddly compressed


class BoundedXLSX(XLSX):
    """XLSX for the import, read by ``read_xlsx``."""

    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)
