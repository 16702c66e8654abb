"""XLSX imports, the export read back unchanged, and who sees the import."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import Park, Project, ProjectStakeholder

from .. import factories
from .helpers import XLSX, admin_url, confirm, csv_file, preview

pytestmark = pytest.mark.django_db


def xlsx_file(rows, name="rows.xlsx"):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def test_xlsx_import(as_publisher):
    factories.park_type(slug="industrial")
    upload = xlsx_file(
        [
            ["slug", "name_en", "name_ru", "park_type", "latitude", "longitude", "area", None],
            ["tomsk-sez", "Tomsk SEZ", "ОЭЗ Томск", "industrial", 56.5, 84.95, 200, "  "],
            # What spreadsheet software leaves around a table: a blank row, an unnamed column.
            [None, "", None, None, None, None, None, None],
        ]
    )
    response = preview(as_publisher, Park, upload, XLSX)
    assert "confirm_form" in response.context
    assert [row.import_type for row in response.context["result"].rows] == ["new"]
    confirm(as_publisher, Park, response)
    park = Park.objects.get(slug="tomsk-sez")
    assert (park.name_ru, float(park.latitude), float(park.area)) == ("ОЭЗ Томск", 56.5, 200.0)


def test_export_reads_back_unchanged_with_formulas_escaped(as_publisher):
    person = factories.stakeholder(slug="tpu", name="TPU")
    project = factories.project(
        slug="formula",
        name="=1+1",
        summary="@everyone",
        stakeholders=[(person, "lead")],
    )
    project.name_ru = "Проект"
    project.save()

    response = as_publisher.post(
        admin_url(Project, "export"),
        {
            "format": "0",
            "resource": "0",
            **{
                f"projectresource_{n}": "on"
                for n in (
                    "slug",
                    "name_en",
                    "name_ru",
                    "summary_en",
                    "status",
                    "stakeholders",
                    "is_published",
                )
            },
        },
    )

    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name_en"] == "'=1+1" and rows[0]["summary_en"] == "'@everyone"
    assert rows[0]["name_ru"] == "Проект"
    assert rows[0]["stakeholders"] == "tpu:lead"
    # The file goes back in as it came out: nothing changes.
    upload = SimpleUploadedFile("export.csv", response.content)
    result = preview(as_publisher, Project, upload).context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip"]
    assert ProjectStakeholder.objects.get().role == "lead"


def test_only_staff_who_may_add_and_change_see_the_import(client, django_user_model):
    viewer = django_user_model.objects.create_user("vera", password="pw", is_staff=True)

    viewer.user_permissions.add(Permission.objects.get(codename="view_project"))
    client.force_login(viewer)
    listing = client.get(admin_url(Project, "changelist")).content.decode()
    assert admin_url(Project, "import") not in listing
    assert admin_url(Project, "export") in listing
    assert client.get(admin_url(Project, "import")).status_code == 403
    upload = csv_file([["slug", "name_en"], ["x", "X"]])
    assert preview(client, Project, upload).status_code == 403
    assert not Project.objects.exists()
