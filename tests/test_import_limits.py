"""Spreadsheet imports are bounded while the file is read: a sheet's declared size is ignored,
rows and columns are capped as they stream in, and a refused file writes nothing.

The bombs are tiny workbooks whose sheet XML is patched inside the zip, as an attacker would:
a ``<dimension ref>`` far beyond the cells, a last cell far down or to the right, or a row of
thousands of empty styled cells. The old reader padded every row to the declared width and every
missing row up to the last one (1.5 GB in 8 s for ``A1:XFD20000``).
"""

import csv
import io
import re
import time
import tracemalloc
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.roles import EDITORS
from portal.models import Stakeholder

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"  # the format choices of the import form
SHEET = "xl/worksheets/sheet1.xml"
PEAK_BYTES = 50 * 1024 * 1024
SECONDS = 1.0


@pytest.fixture
def as_editor(client, django_user_model):
    user = django_user_model.objects.create_user("eddie", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


def workbook(rows=(("slug", "name_en", "kind"), ("tpu", "TPU", "university"))):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def patched(data, change):
    """The workbook ``data`` with its sheet's XML passed through ``change`` (bytes -> bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == SHEET:
                content = change(content)
            target.writestr(info, content)
    return out.getvalue()


def declared(ref, last_row=None, last_column=None):
    """A two-row workbook whose sheet claims ``ref``; optionally one more cell far away."""
    rows = [["slug", "name_en", "kind"], ["tpu", "TPU", "university"]]

    def change(xml):
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % ref.encode(), xml)
        if last_row or last_column:
            cell = b'<c r="%s%d" t="inlineStr"><is><t>x</t></is></c>' % (
                (last_column or "A").encode(),
                last_row or 2,
            )
            if last_row:
                cell = b'<row r="%d">%s</row>' % (last_row, cell)
                xml = xml.replace(b"</sheetData>", cell + b"</sheetData>")
            else:
                xml = re.sub(rb"(<row r=\"2\"[^>]*>.*?)</row>", rb"\1" + cell + b"</row>", xml)
        return xml

    return patched(workbook(rows), change)


def empty_cells(count):
    """A workbook whose header row ends in ``count`` empty styled cells, declared as its width."""

    def change(xml):
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD20000"', xml)
        cells = b"".join(
            b'<c r="%s1" s="0"/>' % openpyxl.utils.get_column_letter(n).encode()
            for n in range(4, count + 4)
        )
        return re.sub(rb"(<row r=\"1\"[^>]*>.*?)</row>", rb"\1" + cells + b"</row>", xml, count=1)

    return patched(workbook(), change)


def preview(client, data, fmt=XLSX, name="bomb.xlsx"):
    """The import's first step: its response, its time, and its peak of Python memory (from a
    second run, as tracing slows it down). The form is loaded first, so that the time is the
    file's, not that of compiling templates."""
    url = reverse("admin:portal_stakeholder_import")
    client.get(url)

    def post():
        upload = SimpleUploadedFile(name, data)
        return client.post(url, {"import_file": upload, "format": fmt, "resource": "0"})

    started = time.perf_counter()
    response = post()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        post()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return response, seconds, peak


def form_errors(response):
    form = response.context["form"]
    return " ".join(str(e) for e in form.errors.get("import_file", [])).replace("\xa0", " ")


@pytest.mark.parametrize(
    "data",
    [
        declared("A1:XFD20000", last_row=20000),
        declared("A1:Z1048576", last_row=1048576),
        declared("A1:XFD1048576"),
        empty_cells(16000),
    ],
    ids=["XFD20000", "Z1048576", "declared-only", "empty-cells"],
)
def test_declared_sizes_are_ignored(as_editor, data):
    assert len(data) < 64 * 1024

    response, seconds, peak = preview(as_editor, data)

    assert response.status_code == 200
    assert seconds < SECONDS and peak < PEAK_BYTES, (seconds, peak)
    # The real cells only: no row or column padded up to what the sheet claims.
    result = response.context["result"]
    assert len(result.rows) <= 2 and result.rows[0].import_type == "new"
    assert not Stakeholder.objects.exists()  # a preview writes nothing


def test_a_value_beyond_the_columns_read_is_refused_at_once(as_editor, settings):
    settings.IMPORT_MAX_COLUMNS = 50
    response, seconds, peak = preview(as_editor, declared("A1:XFD2", last_column="XFD"))

    assert response.status_code == 200
    assert seconds < SECONDS and peak < PEAK_BYTES, (seconds, peak)
    assert "more than 50 columns" in form_errors(response)
    assert "result" not in response.context and "confirm_form" not in response.context
    assert not Stakeholder.objects.exists()


def test_reading_stops_after_one_row_too_many(as_editor, settings):
    settings.IMPORT_MAX_ROWS = 10
    rows = [("slug", "name_en", "kind")] + [(f"s{n}", f"S {n}", "company") for n in range(20_000)]
    data = workbook(rows)

    response, seconds, peak = preview(as_editor, data)

    assert "more than 10 rows" in form_errors(response)
    assert "result" not in response.context
    assert seconds < SECONDS and peak < PEAK_BYTES, (seconds, peak)
    assert not Stakeholder.objects.exists()


def test_a_workbook_that_unpacks_too_large_is_refused_unread(as_editor, settings):
    settings.IMPORT_MAX_UNPACKED_SIZE = 1024 * 1024
    # 8 MB of empty cells, packed into some 40 KB.
    row = b"<row>" + b'<c s="0"/>' * 1000 + b"</row>"
    data = patched(
        workbook(), lambda xml: xml.replace(b"</sheetData>", row * 800 + b"</sheetData>")
    )

    response, seconds, peak = preview(as_editor, data)

    assert "unpacks to more than 1.0 MB" in form_errors(response)
    assert seconds < SECONDS and peak < PEAK_BYTES, (seconds, peak)


def test_csv_rows_lines_and_fields_are_capped(as_editor, settings):
    settings.IMPORT_MAX_ROWS = 10
    lines = ["slug,name_en,kind"] + [f"s{n},S {n},company" for n in range(50_000)]
    response, seconds, peak = preview(as_editor, "\n".join(lines).encode(), CSV, "rows.csv")
    assert "more than 10 rows" in form_errors(response)
    assert seconds < SECONDS and peak < PEAK_BYTES, (seconds, peak)

    # One line of a million commas: refused by its length before it is split.
    data = b"slug,name_en,kind\n" + b"," * 1_000_000 + b"x\n"
    response, seconds, peak = preview(as_editor, data, CSV, "wide.csv")
    assert "Line 2 of the file is longer than" in form_errors(response)
    assert seconds < SECONDS and peak < PEAK_BYTES, (seconds, peak)

    # Many fields on a line of allowed length; trailing empty ones are what spreadsheets add.
    settings.IMPORT_MAX_COLUMNS = 50
    out = io.StringIO()
    csv.writer(out).writerows([["slug", "name_en", "kind"] + [""] * 500, ["x", "X", "company"]])
    response, _seconds, _peak = preview(as_editor, out.getvalue().encode(), CSV, "blank.csv")
    assert [row.import_type for row in response.context["result"].rows] == ["new"]
    data = b"slug,name_en,kind\n" + b"x" + b"," * 60 + b"y\n"
    response, _seconds, _peak = preview(as_editor, data, CSV, "fields.csv")
    assert "more than 50 columns" in form_errors(response)
    assert not Stakeholder.objects.exists()


def test_xlsx_values_are_read_as_openpyxl_reads_them():
    from import_export.formats.base_formats import XLSX as Unbounded

    from cms.spreadsheet_xlsx import read_xlsx

    rows = [
        ("text", "int", "float", "date", "moment", "yes", "no", "none", "cyrillic"),
        ("a", 7, 1.5, date(2026, 3, 1), datetime(2026, 3, 1, 12, 30), True, False, None, "Томск"),
        ("b", -3, 2e-5, date(1900, 3, 1), datetime(1999, 12, 31), False, True, None, "ИНО"),
    ]
    book = openpyxl.Workbook()
    book.active.title = "first"
    book.create_sheet("second").append(["not", "this", "one"])
    for row in rows:
        book.active.append(row)
    book.active["A4"] = "shared"
    book.active["B4"] = "=1+1"  # no computed value stored: read as empty, as openpyxl does
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()

    ours, theirs = read_xlsx(data), Unbounded().create_dataset(data)

    assert ours.headers == theirs.headers
    assert [list(row) for row in ours] == [list(row) for row in theirs]
    assert ours[0][3] == datetime(2026, 3, 1) and ours[1][8] == "ИНО"


def test_entities_and_too_many_elements_are_refused(as_editor, settings):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    data = patched(workbook(), lambda xml: laughs + xml)
    response, _seconds, _peak = preview(as_editor, data)
    assert "could not be read as an XLSX workbook" in form_errors(response)

    settings.IMPORT_MAX_XML_ELEMENTS = 100
    response, _seconds, _peak = preview(as_editor, workbook())
    assert "too complex to read (over 100 cells" in form_errors(response)
    assert not Stakeholder.objects.exists()
