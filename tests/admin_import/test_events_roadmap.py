"""Imports of events (times in their own zone) and of roadmap actions (by number)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Event
from programme.models import RoadmapAction

from .. import factories
from .helpers import CSV, XLSX, csv_file

pytestmark = pytest.mark.django_db


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
