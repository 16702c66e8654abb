"""Document files made for the tests: PDF, zipped office formats, uploads and the admin form."""

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from programme import files

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


XLSX = ooxml(files.OOXML_MAIN_PARTS["xlsx"][0], "xl/workbook.xml")


def upload(name, data, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


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
