"""`manage.py seed` adds only what a database never had: staff edits and deletions stay."""

import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.admin.models import DELETION, LogEntry
from django.core.management import call_command
from django.urls import reverse

from clusters.models import Cluster
from events.models import Event
from news.models import Article
from portal.models import Direction, KeyFact, ParkType, Project, ProjectStakeholder, Stakeholder

pytestmark = pytest.mark.django_db

TOMSK = ZoneInfo("Asia/Tomsk")
FIXTURE = json.loads(
    (Path(__file__).resolve().parent.parent / "fixtures" / "seed.json").read_text()
)
SEED_MODELS = sorted({entry["model"] for entry in FIXTURE})


def seed(*args):
    out = io.StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every row of the seed's models, field by field, with each object's many-to-many links."""
    rows = {}
    for label in SEED_MODELS:
        model = apps.get_model(label)
        rows[label] = list(model.objects.order_by("pk").values())
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                rows[f"{label}.{field.name}"] = {
                    obj.pk: sorted(getattr(obj, field.name).values_list("pk", flat=True))
                    for obj in model.objects.all()
                }
    return rows


def counts():
    return {label: apps.get_model(label).objects.count() for label in SEED_MODELS}


def test_on_an_empty_database_it_creates_what_loaddata_would():
    out = seed()
    assert f"created {len(FIXTURE)}" in out
    seeded = snapshot()
    assert counts() == {
        "clusters.cluster": 6,
        "events.event": 1,
        "news.article": 5,
        "portal.direction": 5,
        "portal.keyfact": 10,
        "portal.keyfactpart": 4,
        "portal.parktype": 6,
        "portal.project": 4,
        "portal.projectstakeholder": 14,
        "portal.stakeholder": 39,
    }
    assert len(seeded["news.article.stakeholders"][3]) == 11
    assert seeded["clusters.cluster.projects"][4] == [1, 2, 3]

    for model in (Event, Article, Cluster, Project, Stakeholder, ParkType, Direction, KeyFact):
        model.objects.all().delete()
    assert not any(counts().values())
    call_command("loaddata", "seed", verbosity=0)
    assert snapshot() == seeded


def test_article_times_stay_as_the_fixture_gives_them():
    seed()
    first = Article.objects.get(pk=1)
    assert first.published_at == datetime(2017, 12, 12, 11, 19, tzinfo=TOMSK)
    assert first.created_at == first.updated_at == first.published_at  # not "now"
    # Before March 2016 Tomsk was UTC+6.
    march = Article.objects.get(published_at__year=2016, published_at__month=3)
    assert march.published_at.astimezone(TOMSK).utcoffset().total_seconds() == 6 * 3600
    assert Article.objects.published().count() == 5


def test_running_twice_creates_nothing_the_second_time():
    seed()
    first = snapshot()
    out = seed()
    assert "added nothing" in out and f"{len(FIXTURE)} already there" in out
    assert snapshot() == first


def test_new_rows_get_fresh_primary_keys_after_seeding():
    """Sequences move past the seed's fixed keys (PostgreSQL), as after loaddata."""
    seed()
    added = Stakeholder.objects.create(name="New", slug="new", kind="company")
    assert added.pk > 39
    assert Article.objects.create(title="T", slug="t", body="b").pk > 5


def test_staff_edits_and_deletions_survive(admin_client):
    seed()
    # Six edits, as in the attack: names, a figure, a summary, a cluster and an article title.
    Direction.objects.filter(pk=1).update(name="Industry (edited)")
    KeyFact.objects.filter(pk=2).update(figure="RUB 1 (edited)")
    Stakeholder.objects.filter(pk=1).update(name="Ministry (edited)")
    Project.objects.filter(pk=1).update(summary="Edited summary")
    Cluster.objects.filter(pk=1).update(name="Petrochemicals (edited)")
    Article.objects.filter(pk=1).update(title="Edited title")
    # An article retracted with the admin's unpublish action.
    response = admin_client.post(
        reverse("admin:news_article_changelist"),
        {"action": "unpublish", "_selected_action": ["2"]},
    )
    assert response.status_code == 302
    # A link removed from an article, and a project's role removed (a link between kept rows).
    Article.objects.get(pk=3).stakeholders.remove(14)
    ProjectStakeholder.objects.filter(pk=14).delete()
    # Stakeholders deleted in the admin: the last one (only the admin log tells it was there)
    # and one with a project role, which goes with it.
    for pk in (39, 20):
        url = reverse("admin:portal_stakeholder_delete", args=[pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert LogEntry.objects.filter(action_flag=DELETION, object_id="39").exists()
    assert not ProjectStakeholder.objects.filter(stakeholder=20).exists()
    # A stakeholder and an article deleted outside the admin (shell, SQL): no log entry.
    Stakeholder.objects.filter(pk=10).delete()
    Article.objects.filter(pk=4).delete()
    before = snapshot()

    out = seed("--verbosity", "2")

    assert "added nothing" in out
    assert "portal.stakeholder 39 was deleted" in out
    assert snapshot() == before
    assert Article.objects.get(pk=1).title == "Edited title"
    assert Article.objects.get(pk=2).status == Article.Status.DRAFT
    assert Article.objects.published().count() == 3
    assert not Stakeholder.objects.filter(pk__in=[10, 20, 39]).exists()
    assert not Article.objects.filter(pk=4).exists()
    assert 14 not in Article.objects.get(pk=3).stakeholders.values_list("pk", flat=True)
    assert not ProjectStakeholder.objects.filter(pk__in=[4, 11, 14]).exists()
    assert Direction.objects.get(pk=1).name == "Industry (edited)"
    assert Cluster.objects.get(pk=1).name == "Petrochemicals (edited)"


def test_loaddata_would_have_undone_those_edits(admin_client):
    """Why the seed command exists: loaddata overwrites and re-creates."""
    seed()
    Article.objects.filter(pk=2).update(status=Article.Status.DRAFT, title="Retracted")
    admin_client.post(reverse("admin:portal_stakeholder_delete", args=[39]), {"post": "yes"})
    call_command("loaddata", "seed", verbosity=0)
    assert Article.objects.get(pk=2).status == Article.Status.PUBLISHED
    assert Stakeholder.objects.filter(pk=39).exists()


def test_missing_objects_are_added_with_links_only_for_them():
    """On a database lacking part of the seed, the rest is added, links to what exists."""
    call_command("loaddata", "seed", verbosity=0)
    # A database that never had the last article and the last stakeholder (never handed out).
    Article.objects.filter(pk=5).delete()
    Stakeholder.objects.filter(pk=39).delete()
    Article.objects.get(pk=1).stakeholders.remove(1)  # a staff edit of a kept article

    out = seed()

    assert "created 2;" in out
    assert Stakeholder.objects.filter(pk=39).exists()
    assert sorted(Article.objects.get(pk=5).stakeholders.values_list("pk", flat=True)) == [
        19,
        34,
        35,
        36,
        37,
        38,
        39,
    ]
    assert 1 not in Article.objects.get(pk=1).stakeholders.values_list("pk", flat=True)


def test_a_slug_taken_by_another_row_is_skipped_with_a_note():
    # Staff created a stakeholder before seeding, with the slug of seed stakeholder 3.
    Stakeholder.objects.create(
        pk=1, name="Our region", slug="tomsk-regional-administration", kind="regional-authority"
    )

    out = seed()

    assert "portal.stakeholder 3 skipped" in out and "slug already exists" in out.lower()
    assert Stakeholder.objects.get(pk=1).name == "Our region"  # its key was taken: kept
    assert not Stakeholder.objects.filter(pk=3).exists()
    # Project roles of stakeholder 3 refer to a missing row: skipped, the rest created.
    assert "portal.projectstakeholder 8 skipped: refers to missing portal.stakeholder 3" in out
    assert ProjectStakeholder.objects.count() == 14 - 3
    assert 3 not in Article.objects.get(pk=1).stakeholders.values_list("pk", flat=True)
    assert Article.objects.count() == 5
