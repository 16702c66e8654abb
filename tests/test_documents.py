"""Documents: the file's type is read from its content, with a size limit; the list, its
filters and the download; documents on cluster and project pages."""

import io
import os
import time
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


# Issue 21, row 8: the checks looked at names only and accepted a DOCX with a remote template,
# an XLSX with an Excel 4.0 macro sheet and a 200 MB zip bomb.

RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def rels(*relationships):
    """A relationships part: (type, target, external) for each relationship."""
    items = "".join(
        f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for n, (kind, target, external) in enumerate(relationships, start=1)
    )
    return (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships">{items}</Relationships>'
    )


def docx(extra=None, types=""):
    main_type = files.OOXML_MAIN_PARTS["docx"][0]
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/word/document.xml" ContentType="{main_type}"/>'
        f"{types}</Types>"
    )
    return zipped({"[Content_Types].xml": content_types, "word/document.xml": "<x/>", **extra})


def xlsx(extra=None, types=""):
    main_type = files.OOXML_MAIN_PARTS["xlsx"][0]
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>'
        f"{types}</Types>"
    )
    return zipped({"[Content_Types].xml": content_types, "xl/workbook.xml": "<x/>", **extra})


def zip_of(entries, method=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zeros_bomb(size):
    """A DOCX with one entry of ``size`` zero bytes, written in pieces (about 1,000 to 1)."""
    buffer = io.BytesIO(docx({}))
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/image1.png", "w", force_zip64=True) as entry,
    ):
        chunk = bytes(1024 * 1024)
        for _ in range(size // len(chunk)):
            entry.write(chunk)
    return buffer.getvalue()


TEMPLATE = f"{RELATIONSHIPS}/attachedTemplate"
REMOTE_TEMPLATE = docx(
    {
        "word/settings.xml": "<w:settings/>",
        "word/_rels/settings.xml.rels": rels((TEMPLATE, "https://evil.example/t.dotm", True)),
    }
)
MACRO_SHEET_TYPE = "application/vnd.ms-excel.macrosheet+xml"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(REMOTE_TEMPLATE, "external", id="remote-template"),
        pytest.param(
            docx(
                {
                    "word/_rels/document.xml.rels": rels(
                        (f"{RELATIONSHIPS}/image", "https://tracker.example/p.png", True)
                    )
                }
            ),
            "external",
            id="linked-picture",
        ),
        pytest.param(
            docx(
                {
                    "word/_rels/settings.xml.rels": rels(
                        (TEMPLATE, "\\\\host\\share\\t.dotm", True)
                    ).replace('TargetMode="External"', 'TargetMode="&#69;xternal"')
                }
            ),
            "external",
            id="entity-encoded-mode",
        ),
        pytest.param(
            xlsx({"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"}), "macros", id="macro-sheet"
        ),
        pytest.param(
            xlsx(
                {"xl/worksheets/sheet2.xml": "<x/>"},
                f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{MACRO_SHEET_TYPE}"/>',
            ),
            "macros",
            id="macro-sheet-by-content-type",
        ),
        pytest.param(
            xlsx(
                {
                    "xl/_rels/workbook.xml.rels": rels(
                        (
                            "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
                            "worksheets/sheet2.xml",
                            False,
                        )
                    )
                }
            ),
            "macros",
            id="macro-sheet-by-relationship",
        ),
        pytest.param(
            xlsx(
                {"xl/project.bin": "vba"},
                '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
            ),
            "macros",
            id="vba-renamed",
        ),
        pytest.param(
            xlsx({"xl/externalLinks/externalLink1.xml": '<ddeLink ddeService="cmd"/>'}),
            "external",
            id="external-link-dde",
        ),
        pytest.param(
            zipped(
                {"content.xml": "<x/>", "Basic/Standard/Module1.xml": "<macro/>"},
                ("mimetype", "application/vnd.oasis.opendocument.text"),
            ),
            "macros",
            id="odt-basic",
        ),
        pytest.param(
            docx({"word/media/image1.png": bytes(5 * 1024 * 1024)}), "zip_bomb", id="packed"
        ),
        pytest.param(
            docx(
                {
                    "word/embeddings/a.xlsx": zip_of(
                        {"b.zip": zip_of({"c.zip": zip_of({"d.txt": "deep"})})}
                    )
                }
            ),
            "zip_bomb",
            id="nested-three-deep",
        ),
        pytest.param(
            docx(
                {
                    "word/embeddings/a.xlsx": zip_of(
                        {"x.xml": bytes(5 * 1024 * 1024)}, zipfile.ZIP_DEFLATED
                    )
                }
            ),
            "zip_bomb",
            id="bomb-inside",
        ),
    ],
)
def test_harmful_office_files_are_refused(data, code):
    with pytest.raises(ValidationError) as refused:
        files.detect(upload("document.docx", data))
    assert refused.value.code == code


def test_a_200_mb_zip_bomb_is_refused_without_unpacking(settings):
    data = zeros_bomb(200 * 1024 * 1024)
    assert len(data) < 400 * 1024

    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        files.detect(upload("report.docx", data))
    assert refused.value.code == "too_big_unpacked"  # over the 100 MB unpacked in all
    assert time.perf_counter() - started < 0.5

    settings.DOCUMENT_MAX_UNPACKED_SIZE = 1024**3  # and packed 1,000 to 1
    with pytest.raises(ValidationError) as refused:
        files.detect(upload("report.docx", data))
    assert refused.value.code == "zip_bomb"


def test_the_unpacked_total_is_capped(settings):
    settings.DOCUMENT_MAX_UNPACKED_SIZE = 1024 * 1024
    data = docx({"word/media/image1.jpeg": os.urandom(600 * 1024)})
    assert files.detect(upload("report.docx", data)) == "docx"
    # Embedded archives count towards the same total.
    inner = zip_of({"photo.jpeg": os.urandom(600 * 1024)}, zipfile.ZIP_STORED)
    data = docx({"word/embeddings/sheet.xlsx": inner})
    with pytest.raises(ValidationError, match="would unpack to more than 1.0"):
        files.detect(upload("report.docx", data))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            docx(
                {
                    "word/_rels/document.xml.rels": rels(
                        (f"{RELATIONSHIPS}/hyperlink", "https://ino.tomsk.ru/", True),
                        (f"{RELATIONSHIPS}/styles", "styles.xml", False),
                    )
                }
            ),
            id="hyperlink",
        ),
        pytest.param(
            docx({"word/embeddings/chart.xlsx": zip_of({"xl/workbook.xml": "<x/>" * 1000})}),
            id="embedded-workbook",
        ),
        pytest.param(docx({"word/media/image1.jpeg": os.urandom(2 * 1024 * 1024)}), id="picture"),
    ],
)
def test_ordinary_office_files_still_pass(data):
    assert files.detect(upload("report.docx", data)) == "docx"


def test_a_remote_template_is_a_form_error_and_nothing_is_saved(admin_client):
    before = media_files()
    response = admin_client.post(
        reverse("admin:programme_document_add"),
        add_data(file=upload("report.docx", REMOTE_TEMPLATE, "application/octet-stream")),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "loads content from elsewhere" in " ".join(errors["file"])
    assert not Document.objects.exists()
    assert media_files() == before
