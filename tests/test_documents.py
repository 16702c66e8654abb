"""Documents: the file's type is read from its content, with a size limit; the list, its
filters and the download; documents on cluster and project pages."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme import files
from programme.models import Document

from . import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def zipped(entries, first_stored=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored:
            archive.writestr(
                zipfile.ZipInfo(first_stored[0]), first_stored[1], compress_type=zipfile.ZIP_STORED
            )
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(main_type, main_part, extra=None):
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{main_part}" ContentType="{main_type}"/></Types>'
    )
    return zipped({"[Content_Types].xml": types, main_part: "<x/>", **(extra or {})})


DOCX = ooxml(files.OOXML_MAIN_PARTS["docx"][0], "word/document.xml")
XLSX = ooxml(files.OOXML_MAIN_PARTS["xlsx"][0], "xl/workbook.xml")
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


def upload(name, data, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


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


def media_files():
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def add_data(**changes):
    data = {
        "title": "Concept of INO Tomsk",
        "title_ru": "",
        "slug": "concept",
        "kind": "concept",
        "language": "en",
        "date": "2017-12-11",
        "is_published": "on",
    }
    data.update(changes)
    return data


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


def make(title, data=PDF, name="doc.pdf", **kwargs):
    slug = kwargs.pop("slug", title.lower().replace(" ", "-"))
    kwargs.setdefault("language", "en")
    document = Document(title=title, slug=slug, **kwargs)
    document.file = upload(name, data)
    document.full_clean()
    document.save()
    return document


def test_the_list_shows_published_documents_with_format_and_size_and_filters(client):
    cluster = factories.cluster(slug="pharma")
    project = factories.project(slug="medical-centre")
    concept = make("Concept", kind="concept", language="en", date="2017-12-11")
    concept.clusters.add(cluster)
    report = make("Report", data=XLSX, name="r.xlsx", kind="report", language="ru")
    report.projects.add(project)
    make("Secret draft", is_published=False)

    page = client.get("/documents/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Concept" in text and "Report" in text and "Secret draft" not in text
    assert f"(PDF, {len(PDF)}" in text and "XLSX" in text
    assert [d.title for d in page.context["rows"]] == ["Concept", "Report"]

    for query, expected in [
        ("kind=concept", ["Concept"]),
        ("language=ru", ["Report"]),
        ("cluster=pharma", ["Concept"]),
        ("project=medical-centre", ["Report"]),
        ("year=2017", ["Concept"]),
        ("kind=report&kind=concept", ["Concept", "Report"]),
    ]:
        response = client.get(f"/documents/?{query}")
        assert response.status_code == 200, query
        assert [d.title for d in response.context["rows"]] == expected, query

    # Bad input is a 400 with a note, never a 5xx.
    for query in ("kind=bogus", "year=20x7", "project=nope", "language=fr", "page=zz"):
        response = client.get(f"/documents/?{query}")
        assert response.status_code in (400, 404), query
    assert client.get("/ru/documents/").status_code == 200


def test_drafts_are_downloaded_by_staff_only(admin_client):
    client = Client()
    draft = make("Draft", is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert client.get("/documents/no-such-document/").status_code == 404


def test_cluster_and_project_pages_list_their_documents_with_flat_queries(client):
    cluster = factories.cluster()
    project = factories.project()
    cluster.projects.add(project)

    def counts():
        result = []
        for url in (cluster.get_absolute_url(), project.get_absolute_url()):
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            assert response.status_code == 200
            result.append(len(context.captured_queries))
        return result, response

    document = make("Linked paper")
    document.clusters.add(cluster)
    document.projects.add(project)
    make("Hidden paper", is_published=False).projects.add(project)
    few, response = counts()
    text = response.content.decode()
    assert "Linked paper" in text and "Hidden paper" not in text
    assert "Documents" in text
    for n in range(8):
        extra = make(f"Paper {n}")
        extra.clusters.add(cluster)
        extra.projects.add(project)
    many, _ = counts()
    assert few == many


@pytest.mark.usefixtures("no_page_cache")
def test_the_list_costs_the_same_queries_for_few_and_many_documents(client):
    from django.core.cache import caches

    cluster = factories.cluster(slug="c")
    project = factories.project(slug="p")

    def add(n):
        for i in range(n):
            document = make(f"Doc {add.count + i}", kind="report", date="2018-05-01", language="ru")
            document.clusters.add(cluster)
            document.projects.add(project)
        add.count += n

    add.count = 0
    urls = ["/documents/", "/documents/?kind=report&language=ru&cluster=c&project=p&year=2018"]

    def counts():
        result = []
        for url in urls:
            for cache in caches.all():
                cache.clear()
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            result.append(len(context.captured_queries))
        return result

    add(2)
    few = counts()
    add(25)
    assert counts() == few
    assert max(few) <= 12
