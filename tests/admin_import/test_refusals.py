"""Refused files (not spreadsheets, too large, too many rows, unknown columns), and
previews that keep no file behind."""

import os
import tempfile
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import Stakeholder

from .helpers import CSV, XLSX, admin_url, confirm, csv_file, preview

pytestmark = pytest.mark.django_db


def form_errors(response):
    return " ".join(str(e) for e in response.context["form"].errors.get("import_file", []))


@pytest.mark.parametrize(
    ("upload", "fmt", "message"),
    [
        (
            SimpleUploadedFile("logo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20),
            CSV,
            "This is not a CSV text file",
        ),
        (
            SimpleUploadedFile("rows.xlsx", b"slug,name_en\nx,y\n"),
            XLSX,
            "This is not an XLSX file",
        ),
        (
            csv_file([["slug", "name_en"], ["tomsk", "Томск"]], encoding="cp1251"),
            CSV,
            "not UTF-8 text",
        ),
        (SimpleUploadedFile("empty.csv", b""), CSV, "empty"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused(as_publisher, upload, fmt, message):
    response = preview(as_publisher, Stakeholder, upload, fmt)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert message in form_errors(response)
    assert not Stakeholder.objects.exists()


def test_a_huge_file_is_refused_before_it_is_read(as_publisher, settings):
    settings.IMPORT_MAX_FILE_SIZE = 1000
    rows = [["slug", "name_en", "kind"]] + [[f"s{n}", f"S {n}", "company"] for n in range(100)]
    response = preview(as_publisher, Stakeholder, csv_file(rows))
    assert "at most 1000" in form_errors(response).replace("\xa0", " ")
    assert "result" not in response.context
    assert not Stakeholder.objects.exists()


def test_too_many_rows_and_unknown_columns_are_refused(as_publisher, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [["slug", "name_en", "kind"]] + [[f"s{n}", f"S {n}", "company"] for n in range(3)]
    response = preview(as_publisher, Stakeholder, csv_file(rows))
    assert "at most 2 are imported" in response.content.decode()
    assert "confirm_form" not in response.context

    upload = csv_file([["slug", "name_en", "kind", "Nmae_ru"], ["x", "X", "company", "Икс"]])
    response = preview(as_publisher, Stakeholder, upload)
    result = response.context["result"]
    assert result.has_errors() and not result.rows  # no row was looked at
    assert "Unknown columns: “Nmae_ru”" in response.content.decode()
    assert "confirm_form" not in response.context
    assert not Stakeholder.objects.exists()


# Issue 21, row 9: previews left the uploaded file in the temporary folder forever.


@pytest.fixture
def temp_folder(tmp_path, monkeypatch):
    """The temporary folder, the test's own: every file a preview keeps lands under it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def kept_files(folder):
    return sorted(path for path in folder.rglob("*") if path.is_file())


STAKEHOLDER_ROWS = [["slug", "name_en", "kind"], ["tpu", "TPU", "university"]]


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([["slug", "name_en", "Nmae_ru"], ["x", "X", "Икс"]], id="unknown-column"),
        pytest.param([["slug", "name_en", "kind"], ["x", "", "nonsense"]], id="row-errors"),
        pytest.param([["slug", "name_en", "kind"]] + [["a", "A", "company"]] * 3, id="too-many"),
    ],
)
def test_a_refused_preview_keeps_no_file(as_publisher, temp_folder, settings, rows):
    settings.IMPORT_MAX_ROWS = 2
    response = preview(as_publisher, Stakeholder, csv_file(rows))
    assert response.status_code == 200 and "confirm_form" not in response.context
    assert kept_files(temp_folder) == []


def test_a_confirmed_preview_keeps_no_file_and_a_second_confirmation_is_refused(
    as_publisher, temp_folder
):
    response = preview(as_publisher, Stakeholder, csv_file(STAKEHOLDER_ROWS))
    assert len(kept_files(temp_folder)) == 1  # kept for the confirmation

    assert confirm(as_publisher, Stakeholder, response).status_code == 302
    assert kept_files(temp_folder) == []
    assert Stakeholder.objects.get().slug == "tpu"

    again = confirm(as_publisher, Stakeholder, response)  # the same form, posted twice
    assert again.status_code == 302
    assert again.url == admin_url(Stakeholder, "import")
    assert Stakeholder.objects.count() == 1
    page = as_publisher.get(again.url).content.decode()
    assert "no longer kept" in page


def test_a_confirmation_reads_only_preview_files(as_publisher, temp_folder):
    secret = temp_folder / "secret.csv"
    secret.write_text("slug,name_en,kind\nleak,Leak,company\n")
    response = as_publisher.post(
        admin_url(Stakeholder, "process_import"),
        {
            "import_file_name": "../secret.csv",
            "original_file_name": "rows.csv",
            "format": CSV,
            "resource": "0",
        },
    )
    assert response.status_code == 302
    assert not Stakeholder.objects.exists()
    assert secret.exists()


def test_previews_older_than_a_day_are_removed_when_an_import_starts(as_publisher, temp_folder):
    preview(as_publisher, Stakeholder, csv_file(STAKEHOLDER_ROWS))
    preview(as_publisher, Stakeholder, csv_file(STAKEHOLDER_ROWS))
    old, recent = kept_files(temp_folder)
    day_ago = time.time() - 24 * 60 * 60 - 60
    os.utime(old, (day_ago, day_ago))

    as_publisher.get(admin_url(Stakeholder, "import"))

    assert kept_files(temp_folder) == [recent]


@pytest.mark.parametrize("tampered", [{"format": "abc"}, {"format": "7"}, {"resource": "9"}])
@pytest.mark.parametrize("language, message", [("en", "not valid"), ("ru", "недействительно")])
def test_a_tampered_confirmation_is_a_form_error(
    as_publisher, temp_folder, tampered, language, message
):
    as_publisher.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = preview(as_publisher, Stakeholder, csv_file(STAKEHOLDER_ROWS))
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields} | tampered
    answer = as_publisher.post(admin_url(Stakeholder, "process_import"), data)
    assert answer.status_code == 200 and message in answer.content.decode()
    assert not Stakeholder.objects.exists()
