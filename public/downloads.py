"""Tabular downloads, one way for every page that offers its rows as data: CSV (UTF-8 with a
byte order mark, so spreadsheet software reads Cyrillic; formula injection neutralised) and
JSON, both streamed."""

import csv
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse

# A cell starting with one of these is read as a formula by spreadsheet software.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "json")


def spreadsheet_safe(value):
    """A cell value that no spreadsheet runs: numbers stay numbers, text that would start a
    formula is prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value):
        return value


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename, header, rows):
    """Stream ``rows`` (sequences in the order of ``header``) as ``<filename>.csv``."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([spreadsheet_safe(name) for name in header])
        for row in rows:
            yield writer.writerow([spreadsheet_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return _attachment(response, f"{filename}.csv")


def json_response(filename, header, rows, meta=None):
    """Stream ``rows`` as ``<filename>.json``: {"meta": ..., "rows": [{column: value}, ...]}."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)

    def chunks():
        yield '{"meta": ' + encoder.encode(meta or {}) + ', "rows": ['
        for index, row in enumerate(rows):
            record = encoder.encode(dict(zip(header, row, strict=True)))
            yield ("," if index else "") + record
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    return _attachment(response, f"{filename}.json")


def tabular_response(fmt, filename, header, rows, meta=None):
    """The download in ``fmt`` (one of FORMATS; callers answer 400 for anything else)."""
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return json_response(filename, header, rows, meta)
