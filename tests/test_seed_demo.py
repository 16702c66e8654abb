"""seed_demo: synthetic, clearly marked, spread out, deterministic, never touching the seeds."""

import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from clusters.models import Cluster, ClusterMembership
from news.models import Article
from portal.models import Direction, Park, Project, ProjectStakeholder, Stakeholder
from public.caching import VERSION_KEY, current_version

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"


def seed_demo(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot_of_seed_rows():
    """Every row the seed fixture holds, field by field (links to demo rows may be added)."""
    keys = {}
    for entry in json.loads(SEED.read_text()):
        keys.setdefault(entry["model"], []).append(entry["pk"])
    return {
        label: list(apps.get_model(label).objects.filter(pk__in=pks).order_by("pk").values())
        for label, pks in keys.items()
    }


def test_adds_marked_content_in_batches_with_progress(seeded):
    out = seed_demo(
        "--articles", "120", "--projects", "30", "--stakeholders", "20", "--parks", "5",
        "--batch-size", "50",
    )  # fmt: skip
    demo_articles = Article.objects.filter(slug__startswith="demo-")
    assert demo_articles.count() == 120
    assert Project.objects.filter(slug__startswith="demo-").count() == 30
    assert Stakeholder.objects.filter(slug__startswith="demo-").count() == 20
    assert Park.objects.filter(slug__startswith="demo-").count() == 5
    for model in (Project, Stakeholder, Park):
        demo = model.objects.filter(slug__startswith="demo-")
        assert not demo.exclude(name_en__startswith="[Demo] ").exists()
    # Articles in English, in Russian, and in both, each clearly marked in its language.
    english = demo_articles.exclude(title_en="").exclude(title_en=None)
    russian = demo_articles.exclude(title_ru="").exclude(title_ru=None)
    in_english, in_russian = (
        set(english.values_list("pk", flat=True)),
        set(russian.values_list("pk", flat=True)),
    )
    assert in_english & in_russian and in_english - in_russian and in_russian - in_english
    assert in_english | in_russian == set(demo_articles.values_list("pk", flat=True))
    assert not english.exclude(title_en__startswith="[Demo] ").exists()
    assert not russian.exclude(title_ru__startswith="[Демо] ").exists()

    assert "Articles: 50/120" in out and "Articles: 100/120" in out and "Articles: 120/120" in out
    assert "Projects: 30/30" in out and "Stakeholders: 20/20" in out
    # Said once everything is done: indexes, the kept counts' recount and the statistics.
    assert out.strip().splitlines()[-1].startswith("Done in ")
    assert "Done in" not in seed_demo()  # nothing asked, nothing done


def test_spreads_over_years_clusters_directions_and_parks(seeded):
    seed_demo("--articles", "400", "--projects", "60", "--stakeholders", "30", "--parks", "6")
    articles = Article.objects.filter(slug__startswith="demo-")
    # In the site's time zone, as the year facet counts them.
    years = {timezone.localtime(a.published_at).year for a in articles}
    assert min(years) == 2015 and len(years) >= 10
    assert set(articles.values_list("clusters", flat=True)) >= set(
        Cluster.objects.values_list("pk", flat=True)
    )
    assert set(articles.values_list("directions", flat=True)) == set(
        Direction.objects.values_list("pk", flat=True)
    )
    assert articles.filter(parks__isnull=False).exists()
    assert articles.filter(projects__slug__startswith="demo-").exists()
    assert articles.filter(status=Article.Status.PUBLISHED).count() > 350

    projects = Project.objects.filter(slug__startswith="demo-")
    assert set(projects.values_list("status", flat=True)) == set(Project.Status.values)
    assert not projects.filter(clusters__isnull=True).exists()
    assert ProjectStakeholder.objects.filter(project__in=projects, role="lead").count() == 60
    assert ClusterMembership.objects.filter(stakeholder__slug__startswith="demo-").exists()
    assert {p.park_type_id for p in Park.objects.filter(slug__startswith="demo-")} == set(
        Park.objects.values_list("park_type", flat=True)
    )


def test_same_seed_same_content_and_seed_rows_untouched(seeded):
    before = snapshot_of_seed_rows()
    seed_demo("--articles", "30", "--projects", "5", "--stakeholders", "5", "--seed", "7")
    first = list(Article.objects.filter(slug__startswith="demo-").values_list("title", "body"))
    assert snapshot_of_seed_rows() == before

    seed_demo(
        "--delete", "--articles", "30", "--projects", "5", "--stakeholders", "5", "--seed", "7"
    )
    again = list(Article.objects.filter(slug__startswith="demo-").values_list("title", "body"))
    assert again == first
    assert snapshot_of_seed_rows() == before


def test_running_twice_adds_more_and_delete_removes_only_demo_rows(seeded):
    seed_demo("--articles", "10", "--projects", "3", "--stakeholders", "2")
    # A failed run may leave a gap (its batches end out of order): numbers go on after it.
    Article.objects.filter(slug="demo-article-000004").delete()
    seed_demo("--articles", "10", "--projects", "3", "--stakeholders", "2")
    assert Article.objects.filter(slug__startswith="demo-").count() == 19
    assert Article.objects.filter(slug="demo-article-000020").exists()
    seed_demo("--delete")
    for model in (Article, Project, Stakeholder, Park):
        assert not model.objects.filter(slug__startswith="demo-").exists()
    assert Article.objects.count() == 5 and Project.objects.count() == 4


def test_ends_the_page_cache_version(seeded):
    before = current_version()
    seed_demo("--articles", "1")
    assert cache.get(VERSION_KEY) is None and current_version().id != before.id


def test_needs_the_seed_content(db):
    with pytest.raises(CommandError, match="bin/manage seed"):
        seed_demo("--articles", "1")


def test_analyses_the_bulk_loaded_tables_on_postgresql(seeded):
    """The planner knows the new row counts at once (unanalysed tables planned searches badly)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE and pg_class statistics are PostgreSQL's")
    seed_demo("--articles", "40", "--projects", "5", "--stakeholders", "5")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", ["news_article"])
        (estimated,) = cursor.fetchone()
    assert estimated == Article.objects.count()


def test_every_option_says_what_it_does():
    from django.core.management import load_command_class

    parser = load_command_class("news", "seed_demo").create_parser("manage.py", "seed_demo")
    own = [
        a
        for a in parser._actions
        if a.dest
        in {"articles", "projects", "stakeholders", "parks", "seed", "batch_size", "delete"}
    ]
    assert len(own) == 7
    assert all(action.help for action in own)
