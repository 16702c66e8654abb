"""Preview, then confirm: the import writes all or nothing, within the roles' rules."""

import pytest
from reversion.models import Version

from portal.models import Park, ParkType, Project, Stakeholder

from .. import factories
from .helpers import admin_url, confirm, csv_file, preview

pytestmark = pytest.mark.django_db


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
