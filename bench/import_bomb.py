"""Time and peak memory of reading spreadsheet bombs for the admin import, before and after.

    .venv/bin/python bench/import_bomb.py [--memory-cap-mb 2048] [--timeout 60]

"before" is django-import-export's own reader (tablib and openpyxl's read-only worksheet,
which trusts a sheet's declared size), "after" the bounded readers of cms/spreadsheets.py.
Each file is read in a child process of its own, with its address space capped (so the old
reader fails with MemoryError rather than taking the machine) and a timeout; the table gives
the seconds, the peak resident memory of the child and its growth while reading, and the
outcome: the rows read, or the refusal. No database is needed.
"""

import argparse
import io
import json
import os
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["slug", "name_en", "name_ru", "kind", "website"]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_HTTPS", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def workbook(rows):
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def patched(data, change):
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == SHEET else content)
    return out.getvalue()


def declared(ref, last_row):
    """Two real rows, the second at ``last_row``, under a declared dimension ``ref``."""

    def change(xml):
        if b"<dimension" in xml:
            xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % ref.encode(), xml)
        else:
            xml = xml.replace(b"<sheetData", b'<dimension ref="%s"/><sheetData' % ref.encode())
        cell = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", cell % (last_row, last_row) + b"</sheetData>")

    return patched(workbook([HEADER]), change)


def empty_cells(count):
    from openpyxl.utils import get_column_letter

    def change(xml):
        xml = xml.replace(b"<sheetData", b'<dimension ref="A1:XFD20000"/><sheetData')
        cells = b"".join(
            b'<c r="%s1" s="0"/>' % get_column_letter(n).encode() for n in range(6, count)
        )
        return re.sub(rb"(<row r=\"1\"[^>]*>.*?)</row>", rb"\1" + cells + b"</row>", xml, count=1)

    return patched(workbook([HEADER, ["x", "X", "", "company", ""]]), change)


def rows(count):
    return [HEADER] + [
        [f"org-{n}", f"Organisation {n}", f"Организация {n}", "company", f"https://example.org/{n}"]
        for n in range(count)
    ]


def csv_text(table):
    import csv

    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode()


CASES = {
    "xlsx A1:XFD20000, rows 1 and 20000": ("xlsx", lambda: declared("A1:XFD20000", 20_000)),
    "xlsx A1:Z1048576, rows 1 and 1048576": ("xlsx", lambda: declared("A1:Z1048576", 1_048_576)),
    "xlsx 16,000 empty styled cells": ("xlsx", lambda: empty_cells(16_000)),
    "xlsx 20,000 rows (limit 5,000)": ("xlsx", lambda: workbook(rows(20_000))),
    "xlsx 5,000 rows (accepted)": ("xlsx", lambda: workbook(rows(5_000))),
    "csv a header of 1,000,000 commas": ("csv", lambda: b"," * 1_000_000 + b"slug\nx\n"),
    "csv 40,000 rows (limit 5,000)": ("csv", lambda: csv_text(rows(40_000))),
    "csv 5,000 rows (accepted)": ("csv", lambda: csv_text(rows(5_000))),
}


def read_one(path, kind, reader):
    """In the child: read the file once, print seconds, memory and outcome as JSON."""
    setup_django()
    from import_export.formats import base_formats

    from cms.spreadsheet_xlsx import BoundedXLSX
    from cms.spreadsheets import BoundedCSV, SpreadsheetRefused

    formats = {
        ("before", "csv"): base_formats.CSV,
        ("before", "xlsx"): base_formats.XLSX,
        ("after", "csv"): BoundedCSV,
        ("after", "xlsx"): BoundedXLSX,
    }
    fmt = formats[reader, kind](encoding="utf-8-sig")
    data = Path(path).read_bytes()
    if kind == "csv":
        data = data.decode("utf-8-sig")
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        dataset = fmt.create_dataset(data)
        outcome = f"read {len(dataset)} rows x {dataset.width} columns"
    except SpreadsheetRefused as error:
        outcome = "refused: " + str(error)[:60]
    except MemoryError:
        outcome = "MemoryError"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak": peak / 1024,
                "growth": (peak - baseline) / 1024,
                "outcome": outcome,
            }
        )
    )


def measure(path, kind, reader, args):
    def cap():
        limit = args.memory_cap_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    command = [sys.executable, __file__, "--one", str(path), kind, reader]
    try:
        child = subprocess.run(
            command, capture_output=True, text=True, timeout=args.timeout, preexec_fn=cap
        )
    except subprocess.TimeoutExpired:
        return {"outcome": f"timed out after {args.timeout} s"}
    lines = child.stdout.strip().splitlines()
    if child.returncode or not lines:
        last = (child.stderr.strip().splitlines() or ["no output"])[-1]
        return {"outcome": f"failed ({child.returncode}): {last[-60:]}"}
    return json.loads(lines[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory-cap-mb", type=int, default=2048)
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return read_one(*args.one)
    setup_django()
    print(f"{'file':<40} {'reader':<7} {'KB':>6} {'s':>7} {'peak MB':>8} {'+MB':>7}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for name, (kind, build) in CASES.items():
            path = Path(folder) / f"file.{kind}"
            path.write_bytes(build())
            size = path.stat().st_size / 1024
            for reader in ("before", "after"):
                got = measure(path, kind, reader, args)
                numbers = (
                    f"{got['seconds']:>7.2f} {got['peak']:>8.0f} {got['growth']:>7.0f}"
                    if "seconds" in got
                    else f"{'-':>7} {'-':>8} {'-':>7}"
                )
                print(
                    f"{name:<40} {reader:<7} {size:>6.0f} {numbers}  {got['outcome']}", flush=True
                )


if __name__ == "__main__":
    main()
