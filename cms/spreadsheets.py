"""Spreadsheets read for the admin's import with bounded work, whatever the file claims.

django-import-export reads a whole sheet into a tablib Dataset before anything checks it, and
openpyxl's read-only worksheet trusts the sheet's ``<dimension>``: it pads every row to the
declared width and every missing row up to the next real one, so a 5 KB workbook declaring
``A1:XFD20000`` took 1.5 GB in 8 s. The readers here build the same Dataset but count while
they read, and refuse the file with ``SpreadsheetRefused`` (its message is the form's error)
as soon as it passes a limit; nothing is written then.

- Rows: at most ``IMPORT_MAX_ROWS`` rows with a value after the header (the first row with a
  value); reading stops at the first one more. Rows without a value are not counted.
- Columns: a value right of column ``IMPORT_MAX_COLUMNS`` refuses the file. Empty cells are
  skipped wherever they are: a row is as wide as its last value, never as declared.
- XLSX: the archive may unpack to at most ``IMPORT_MAX_UNPACKED_SIZE`` bytes, checked from its
  directory before anything is unpacked (zipfile never unpacks more than an entry declares);
  its XML is read by expat as a stream (no tree is built, a DOCTYPE is refused), at most
  ``IMPORT_MAX_XML_ELEMENTS`` elements in all, which bounds the time. See
  ``cms/spreadsheet_xlsx.py``.
- CSV: a line longer than ``IMPORT_MAX_LINE_LENGTH`` characters is refused before it is
  split, a field longer than the csv module's ``field_size_limit`` (128 KB) too.
"""

import csv
import io

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV


def limit(name, default):
    return getattr(settings, name, default)


def import_max_rows():
    return limit("IMPORT_MAX_ROWS", 5000)


def import_max_columns():
    return limit("IMPORT_MAX_COLUMNS", 50)


class SpreadsheetRefused(ValueError):
    """The file passes a limit: it is not read further; the message says why."""


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


class Table:
    """Rows as they are read: the first with a value is the header; rows counted, capped."""

    def __init__(self, fill):
        self.fill = fill
        self.max_rows, self.max_columns = import_max_rows(), import_max_columns()
        self.headers, self.rows, self.width = None, [], 0

    def too_wide(self):
        return SpreadsheetRefused(
            _(
                "The file has values in more than %(limit)d columns; an import reads at most "
                "%(limit)d. Remove the columns it does not need. Nothing was imported."
            )
            % {"limit": self.max_columns}
        )

    def add(self, values):
        end = len(values)
        while end and blank(values[end - 1]):
            end -= 1
        if not end:
            return  # a row without a value, as spreadsheet software leaves them
        if end > self.max_columns:
            raise self.too_wide()
        values = values[:end]
        self.width = max(self.width, end)
        if self.headers is None:
            self.headers = values
        elif len(self.rows) < self.max_rows:
            self.rows.append(values)
        else:
            raise SpreadsheetRefused(
                _(
                    "The file has more than %(limit)d rows; at most %(limit)d are imported at "
                    "once. Split it into smaller files."
                )
                % {"limit": self.max_rows}
            )

    def dataset(self):
        dataset = tablib.Dataset()
        if self.headers is None:
            return dataset
        dataset.headers = self.headers + [self.fill] * (self.width - len(self.headers))
        for row in self.rows:
            dataset.append(row + [self.fill] * (self.width - len(row)))
        return dataset


def read_csv(text):
    """The Dataset of a CSV text (a str), read line by line within the limits."""
    max_line = limit("IMPORT_MAX_LINE_LENGTH", 128 * 1024)
    table = Table(fill="")

    def lines():
        for number, line in enumerate(io.StringIO(text, newline=""), start=1):
            if len(line) > max_line:
                raise SpreadsheetRefused(
                    _(
                        "Line %(line)d of the file is longer than %(limit)d characters. Nothing "
                        "was imported."
                    )
                    % {"line": number, "limit": max_line}
                )
            yield line

    reader = csv.reader(lines())
    try:
        for row in reader:
            table.add(row)
    except csv.Error:
        raise SpreadsheetRefused(
            _(
                "Line %(line)d of the CSV file could not be read (a value longer than "
                "%(limit)d characters, or a NUL character). Nothing was imported."
            )
            % {"line": reader.line_num, "limit": csv.field_size_limit()}
        ) from None
    return table.dataset()


class BoundedCSV(CSV):
    """CSV for the import, read by ``read_csv``."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        return read_csv(in_stream)
