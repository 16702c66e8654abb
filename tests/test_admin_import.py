"""Spreadsheet import and export in the admin: preview, row errors before anything is written,
all or nothing, editors' drafts, refused files, and the export reading back."""

import csv
import io
import os
import tempfile
import time

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from cms.roles import EDITORS, PUBLISHERS
from portal.models import Park, Project, ProjectStakeholder, Stakeholder

from . import factories

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"  # the format choices of the import form


def user_in(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def as_editor(client, django_user_model):
    client.force_login(user_in(django_user_model, "eddie", EDITORS))
    return client


@pytest.fixture
def as_publisher(client, django_user_model):
    client.force_login(user_in(django_user_model, "paula", PUBLISHERS))
    return client


def admin_url(model, view):
    return reverse(f"admin:portal_{model._meta.model_name}_{view}")


def csv_file(rows, name="rows.csv", encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="rows.xlsx"):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def preview(client, model, upload, fmt=CSV):
    """Step one: the upload and its dry run."""
    return client.post(
        admin_url(model, "import"), {"import_file": upload, "format": fmt, "resource": "0"}
    )


def confirm(client, model, response):
    """Step two: confirm what the preview offered."""
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(admin_url(model, "process_import"), data)


def form_errors(response):
    return " ".join(str(e) for e in response.context["form"].errors.get("import_file", []))


def test_publisher_previews_then_imports_projects_with_their_links(as_publisher):
    factories.direction(slug="energy")
    factories.park(slug="technopark")
    factories.stakeholder(slug="tpu", name="TPU")
    factories.stakeholder(slug="tsu", name="TSU")
    existing = factories.project(slug="reactor", name="Reactor", status="planned")
    factories.project(slug="untouched", name="Untouched")
    upload = csv_file(
        [
            [
                "slug",
                "name_en",
                "name_ru",
                "status",
                "direction",
                "parks",
                "stakeholders",
                "budget",
                "is_published",
            ],
            [
                "reactor",
                "Reactor",
                "",
                "in-progress",
                "energy",
                "technopark",
                "tpu:lead; tsu",
                "1500000.50",
                "1",
            ],
            ["sensors", "Sensors", "Датчики", "planned", "", "", "", "", "1"],
        ]
    )

    response = preview(as_publisher, Project, upload)

    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["update", "new"]
    assert "confirm_form" in response.context
    page = response.content.decode()
    assert "Sensors" in page and "in-progress" in page  # the preview shows the rows
    # Nothing is written by the preview.
    assert not Project.objects.filter(slug="sensors").exists()
    existing.refresh_from_db()
    assert existing.status == "planned" and existing.parks.count() == 0

    response = confirm(as_publisher, Project, response)

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.status == "in-progress"
    assert existing.direction.slug == "energy"
    assert [park.slug for park in existing.parks.all()] == ["technopark"]
    roles = dict(existing.roles.values_list("stakeholder__slug", "role"))
    assert roles == {"tpu": "lead", "tsu": "partner"}
    assert str(existing.budget) == "1500000.50"
    sensors = Project.objects.get(slug="sensors")
    assert (sensors.name_en, sensors.name_ru, sensors.is_published) == ("Sensors", "Датчики", True)
    # Each imported entry has a version in its history.
    assert Version.objects.get_for_object(sensors).count() == 1


def test_row_errors_are_shown_and_nothing_is_written(as_publisher):
    factories.project(slug="kept", name="Kept", status="planned")
    upload = csv_file(
        [
            [
                "slug",
                "name_en",
                "status",
                "direction",
                "parks",
                "stakeholders",
                "start_date",
                "end_date",
            ],
            ["kept", "Kept", "completed", "", "", "", "", ""],
            ["bad-status", "Bad", "finished", "", "", "", "", ""],
            ["bad-links", "Links", "planned", "nowhere", "no-park", "ghost:lead", "", ""],
            ["bad-dates", "Dates", "planned", "", "", "", "2026-05-01", "2025-01-01"],
        ]
    )

    response = preview(as_publisher, Project, upload)

    result = response.context["result"]
    assert "confirm_form" not in response.context
    invalid = {row.number: row.error.message_dict for row in result.invalid_rows}
    assert set(invalid) == {2, 3, 4}
    assert "status" in invalid[2]
    assert "nowhere" in str(invalid[3]["direction"])
    assert "no-park" in str(invalid[3]["parks"])
    assert "ghost" in str(invalid[3]["stakeholders"])
    assert "end_date" in invalid[4]
    page = response.content.decode()
    assert "No direction with the slug “nowhere”." in page
    assert Project.objects.get(slug="kept").status == "planned"
    assert Project.objects.count() == 1


def test_the_confirmed_import_is_all_or_nothing(as_publisher):
    """A row that became invalid between preview and confirmation rolls back every row."""
    from portal.models import ParkType

    factories.park_type(slug="science")
    factories.park_type(slug="industrial")
    upload = csv_file(
        [
            ["slug", "name_en", "park_type"],
            ["first-park", "First", "science"],
            ["second-park", "Second", "industrial"],
        ]
    )
    response = preview(as_publisher, Park, upload)
    assert "confirm_form" in response.context
    # Meanwhile someone renames the second row's park type.
    ParkType.objects.filter(slug="industrial").update(slug="renamed")

    response = confirm(as_publisher, Park, response)

    assert response.status_code == 302
    assert response["Location"] == admin_url(Park, "import")
    assert not Park.objects.exists()  # not even the first, valid row
    follow = as_publisher.get(response["Location"])
    assert "Nothing was imported" in follow.content.decode()


def test_editor_imports_drafts_only_and_cannot_change_published_entries(as_editor):
    factories.park_type(slug="science")
    factories.park(slug="draft-park", name="Draft park", is_published=False)
    factories.park(slug="live-park", name="Live park", is_published=True)
    upload = csv_file(
        [
            ["slug", "name_en", "park_type", "is_published"],
            ["new-park", "New park", "science", "1"],
            ["draft-park", "Draft park, renamed", "science", "1"],
        ]
    )

    response = preview(as_editor, Park, upload)
    assert "confirm_form" in response.context
    confirm(as_editor, Park, response)

    new = Park.objects.get(slug="new-park")
    assert new.is_published is False  # asked to publish: created as a draft
    draft = Park.objects.get(slug="draft-park")
    assert (draft.name, draft.is_published) == ("Draft park, renamed", False)

    # A published entry: unchanged rows are skipped, changed ones refused for the editor.
    live = Park.objects.get(slug="live-park")
    same = csv_file(
        [["slug", "name_en", "park_type"], ["live-park", "Live park", live.park_type.slug]]
    )
    result = preview(as_editor, Park, same).context["result"]
    assert [row.import_type for row in result.rows] == ["skip"]
    changed = csv_file([["slug", "name_en"], ["live-park", "Live park, changed by an editor"]])
    response = preview(as_editor, Park, changed)
    assert "confirm_form" not in response.context
    assert "only a publisher may change it" in response.content.decode()
    unpublish = csv_file([["slug", "is_published"], ["live-park", "0"]])
    result = preview(as_editor, Park, unpublish).context["result"]
    # Publication is not the editor's to change: the row changes nothing and is skipped.
    assert [row.import_type for row in result.rows] == ["skip"]
    live.refresh_from_db()
    assert (live.name, live.is_published) == ("Live park", True)


def test_publisher_may_publish_and_change_published_entries(as_publisher):
    factories.stakeholder(slug="tpu", name="TPU", is_published=False)
    upload = csv_file(
        [["slug", "name_en", "kind", "is_published"], ["tpu", "TPU", "university", "1"]]
    )
    confirm(as_publisher, Stakeholder, preview(as_publisher, Stakeholder, upload))
    assert Stakeholder.objects.get(slug="tpu").is_published is True


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
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_project"))
    client.force_login(viewer)
    listing = client.get(admin_url(Project, "changelist")).content.decode()
    assert admin_url(Project, "import") not in listing
    assert admin_url(Project, "export") in listing
    assert client.get(admin_url(Project, "import")).status_code == 403
    upload = csv_file([["slug", "name_en"], ["x", "X"]])
    assert preview(client, Project, upload).status_code == 403
    assert not Project.objects.exists()


def app_url(model, view):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")


def import_in(client, model, upload, fmt=CSV):
    response = client.post(
        app_url(model, "import"), {"import_file": upload, "format": fmt, "resource": "0"}
    )
    return response


def confirm_in(client, model, response):
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(app_url(model, "process_import"), data)


def test_events_import_with_times_in_their_zone_and_editors_drafts(as_editor):
    from events.models import Event

    factories.cluster(slug="smart-city")
    factories.article(slug="forum-news")
    upload = csv_file(
        [
            [
                "slug",
                "title_en",
                "title_ru",
                "start",
                "end",
                "time_zone",
                "clusters",
                "articles",
                "status",
            ],
            [
                "forum",
                "Forum",
                "Форум",
                "2027-04-10T10:00:00",
                "2027-04-10T18:00:00+03:00",
                "Europe/Moscow",
                "smart-city",
                "forum-news",
                "published",
            ],
            [
                "broken",
                "Broken",
                "",
                "next Tuesday",
                "2027-04-10T18:00:00",
                "",
                "nowhere",
                "",
                "draft",
            ],
        ]
    )
    response = import_in(as_editor, Event, upload)
    invalid = {
        row.number: row.error.message_dict for row in response.context["result"].invalid_rows
    }
    assert set(invalid) == {2}
    assert "next Tuesday" in str(invalid[2]["start"]) and "nowhere" in str(invalid[2]["clusters"])
    assert not Event.objects.exists()

    good = csv_file(
        [
            [
                "slug",
                "title_en",
                "title_ru",
                "start",
                "end",
                "time_zone",
                "clusters",
                "articles",
                "status",
            ],
            [
                "forum",
                "Forum",
                "Форум",
                "2027-04-10T10:00:00",
                "2027-04-10T18:00:00+03:00",
                "Europe/Moscow",
                "smart-city",
                "forum-news",
                "published",
            ],
        ]
    )
    confirm_in(as_editor, Event, import_in(as_editor, Event, good))

    event = Event.objects.get(slug="forum")
    assert event.status == Event.Status.DRAFT  # an editor's import: a draft
    assert event.local_start.isoformat() == "2027-04-10T10:00:00+03:00"
    assert [c.slug for c in event.clusters.all()] == ["smart-city"]
    assert [a.slug for a in event.articles.all()] == ["forum-news"]


def test_roadmap_actions_import_by_number_and_export_back(as_publisher):
    from programme.models import RoadmapAction

    factories.stakeholder(slug="region")
    RoadmapAction.objects.create(number=1, title="Old title", status="planned")
    upload = csv_file(
        [
            ["number", "title_en", "title_ru", "status", "due_date", "stakeholders"],
            ["1", "New title", "Новое название", "in-progress", "2027-12-31", "region"],
            ["2", "Second", "", "planned", "", ""],
        ]
    )
    response = import_in(as_publisher, RoadmapAction, upload)
    assert [row.import_type for row in response.context["result"].rows] == ["update", "new"]
    confirm_in(as_publisher, RoadmapAction, response)

    first = RoadmapAction.objects.get(number=1)
    assert (first.title_en, first.title_ru, first.status) == (
        "New title",
        "Новое название",
        "in-progress",
    )
    assert str(first.due_date) == "2027-12-31"
    assert [s.slug for s in first.stakeholders.all()] == ["region"]
    assert RoadmapAction.objects.get(number=2).is_published is True

    exported = as_publisher.post(
        app_url(RoadmapAction, "export"),
        {
            "format": XLSX,
            "resource": "0",
            **{
                f"roadmapactionresource_{n}": "on"
                for n in ("number", "title_en", "title_ru", "status", "due_date", "stakeholders")
            },
        },
    )
    assert exported.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    header, *rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert header[:2] == ["number", "title_en"]
    upload = SimpleUploadedFile("roadmap.xlsx", exported.content)
    result = import_in(as_publisher, RoadmapAction, upload, XLSX).context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip", "skip"]


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
