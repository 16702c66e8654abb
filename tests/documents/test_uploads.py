"""A document's type is read from its content; other content, oversize and renamed files
are refused, and uploads are stored under a safe name."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programme import files
from programme.models import Document

from .helpers import PDF, XLSX, add_data, media_files, ooxml, upload, zipped

pytestmark = pytest.mark.django_db


DOCX = ooxml(files.OOXML_MAIN_PARTS["docx"][0], "word/document.xml")


XLSM = ooxml(
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "xl/workbook.xml",
    {"xl/vbaProject.bin": "macro"},
)
ODT = zipped({"content.xml": "<x/>"}, ("mimetype", "application/vnd.oasis.opendocument.text"))
ODS = zipped(
    {"content.xml": "<x/>"}, ("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("concept.pdf", PDF, "pdf"),
        ("report.docx", DOCX, "docx"),
        ("figures.xlsx", XLSX, "xlsx"),
        ("plan.odt", ODT, "odt"),
        ("budget.ods", ODS, "ods"),
        # The name says nothing: a real DOCX named .pdf is a DOCX.
        ("renamed.pdf", DOCX, "docx"),
    ],
)
def test_formats_are_read_from_the_content(name, data, expected):
    assert files.detect(upload(name, data)) == expected


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("page.pdf", HTML, "not_a_document"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "not_a_document"),
        ("empty.pdf", b"", "empty"),
        ("archive.docx", zipped({"a.txt": "hello"}), "zip_not_office"),
        # A zip that names a content-types part but is no Word or Excel document.
        ("fake.docx", zipped({"[Content_Types].xml": "<Types/>"}), "zip_not_office"),
        # An OpenDocument's type entry must be first and stored uncompressed.
        ("fake.odt", zipped({"mimetype": "application/vnd.oasis.opendocument.text"}), None),
        ("macros.xlsx", XLSM, "macros"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 40, "zip_not_office"),
        ("cut.pdf", PDF[:30], "truncated_pdf"),
    ],
)
def test_other_content_is_refused(name, data, code):
    with pytest.raises(ValidationError) as refused:
        files.detect(upload(name, data))
    if code:
        assert refused.value.code == code


def test_size_limit(settings):
    settings.DOCUMENT_MAX_SIZE = 100
    with pytest.raises(ValidationError, match="at most 100"):
        files.detect(upload("big.pdf", PDF + b" " * 200))


def test_an_editor_uploads_a_document_stored_under_a_safe_name(admin_client):
    response = admin_client.post(
        reverse("admin:programme_document_add"),
        add_data(file=upload("../../etc/Concept <v2>.PDF", PDF, "text/html")),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    document = Document.objects.get()
    assert (document.file_format, document.file_size) == ("pdf", len(PDF))
    stored = document.file.name
    assert stored.startswith("documents/") and stored.endswith(".pdf")
    assert ".." not in stored and "Concept" not in stored and "<" not in stored
    download = admin_client.get(document.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == 'attachment; filename="concept.pdf"'
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (HTML, "is not a PDF, DOCX, XLSX, ODT or ODS document"),
        (zipped({"a.txt": "x"}), "is a zip archive, not a DOCX"),
        (b"", "The submitted file is empty."),
    ],
)
def test_a_renamed_or_empty_file_is_a_form_error_and_nothing_is_saved(admin_client, data, message):
    before = media_files()
    response = admin_client.post(
        reverse("admin:programme_document_add"), add_data(file=upload("report.pdf", data))
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["file"]
    assert message in " ".join(errors["file"])
    assert not Document.objects.exists()
    assert media_files() == before
