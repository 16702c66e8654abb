"""news.bulk_load: batches drafted and written in forked processes, indexes set aside and built
again."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from clusters.models import Cluster, ClusterMembership
from clusters.project_counts import PROJECTS
from news.bulk_load import add_in_batches, indexes_built_after, tables_of
from news.facet_counts import ARTICLES
from news.models import Article
from portal.models import Stakeholder

from .manage_process import environment_for_manage

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_drafts_in_another_process_and_links_each_row_to_its_own(seeded):
    cluster = Cluster.objects.order_by("pk").first()

    def draft(numbers):
        rows = [
            Stakeholder(
                name=f"[Demo] drafted by {os.getpid()} #{n}",
                slug=f"demo-bulk-{n}",
                kind=Stakeholder.Kind.COMPANY,
            )
            for n in numbers
        ]
        # Every second row joins the cluster, with its number as the role's witness.
        links = [
            (ClusterMembership, index, {"cluster_id": cluster.pk, "role": "member"})
            for index, n in enumerate(numbers)
            if n % 2 == 0
        ]
        return rows, links

    done = list(add_in_batches(Stakeholder, 5, 2, draft))

    assert done == [2, 4, 5]
    added = Stakeholder.objects.filter(slug__startswith="demo-bulk-").order_by("slug")
    assert [s.slug for s in added] == [f"demo-bulk-{n}" for n in range(5)]
    assert all(f"drafted by {os.getpid()} " not in s.name for s in added)
    members = ClusterMembership.objects.filter(stakeholder__in=added, cluster=cluster)
    assert sorted(m.stakeholder.slug for m in members) == [
        "demo-bulk-0",
        "demo-bulk-2",
        "demo-bulk-4",
    ]


def indexes(tables):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1",
            [tables],
        )
        return cursor.fetchall()


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("indexes are set aside on PostgreSQL only")


def test_seed_demo_leaves_every_index_as_it_was(seeded, postgresql):
    tables = tables_of(Article)
    before = indexes(tables)
    assert any("gin" in definition for _name, definition in before)

    call_command("seed_demo", "--articles", "30", "--projects", "3", "--stakeholders", "3")

    assert indexes(tables) == before
    # The rebuilt search index finds the new rows.
    demo = Article.objects.filter(slug__startswith="demo-", title_en__startswith="[Demo]")
    title = demo.first().title_en
    number = title.rsplit("(", 1)[-1].strip(")")
    assert Article.objects.filter(search_vector=number).exists()


def test_a_failed_load_keeps_the_indexes(seeded, postgresql):
    tables = tables_of(Article)
    before = indexes(tables)

    with pytest.raises(RuntimeError), indexes_built_after(Article):
        assert len(indexes(tables)) < len(before)
        raise RuntimeError("the load failed")

    assert indexes(tables) == before


def test_a_draft_may_run_no_sql_on_the_shared_connection(seeded):
    def draft(numbers):
        Stakeholder.objects.count()
        return [], []

    with pytest.raises(RuntimeError, match="no SQL"):
        list(add_in_batches(Stakeholder, 2, 1, draft))
    # The writing process's connection is untouched.
    assert Stakeholder.objects.filter(slug__startswith="demo-bulk-").count() == 0


def demo_content():
    """Each demo article and its links (the publication times follow the clock)."""
    articles = Article.objects.filter(slug__startswith="demo-").order_by("slug")
    return [
        (a.slug, a.title_en, a.title_ru, a.body_en, a.status, links)
        for a in articles.prefetch_related("clusters", "projects", "stakeholders")
        for links in [
            sorted(o.slug for o in [*a.clusters.all(), *a.projects.all(), *a.stakeholders.all()])
        ]
    ]


def kept_table(counts):
    pairs = apps.get_model(counts.model).objects.filter(n__gt=0)
    return set(pairs.values_list("facet_a", "option_a", "facet_b", "option_b", "n"))


def is_recounted(counts):
    """The kept counts are what a recount from the rows gives."""
    kept = kept_table(counts)
    counts.rebuild()
    return kept_table(counts) == kept


def manage(*args, **popen):
    """``manage.py`` in a process of its own, on this test's database: the writers fork, and
    forking this one (whose other threads, a live server's say, may hold locks) can hang."""
    env = environment_for_manage()
    command = [sys.executable, "manage.py", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, **popen)


def finished(process):
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return output


@pytest.mark.django_db(transaction=True)
def test_writers_in_parallel_write_what_one_writer_writes(postgresql):
    call_command("loaddata", "seed", verbosity=0)
    tables = tables_of(Article)
    before = indexes(tables)
    options = ["--articles", "40", "--projects", "4", "--stakeholders", "4", "--batch-size", "3"]

    # Outside a transaction: several processes, each with its own connection, commit each batch.
    finished(manage("seed_demo", *options))
    in_parallel = demo_content()
    assert len(in_parallel) == 40 and indexes(tables) == before
    assert is_recounted(ARTICLES) and is_recounted(PROJECTS)

    # Inside one, the command's process writes: the same rows, whichever process drew each batch.
    code = (
        "from django.core.management import call_command\n"
        "from django.db import transaction\n"
        "with transaction.atomic():\n"
        f"    call_command('seed_demo', '--delete', *{options!r})"
    )
    finished(manage("shell", "-c", code))
    assert demo_content() == in_parallel
    assert indexes(tables) == before
    assert is_recounted(ARTICLES) and is_recounted(PROJECTS)


FAILING_LOAD = """
import os
from django.utils import timezone
from news.bulk_load import add_in_batches
from news.facet_counts import ARTICLES
from news.models import Article
from portal.kept_counts import paused

now = timezone.now()
counted_before = ARTICLES_TABLE()

def draft(numbers):
    if numbers.start == 6:
        raise ValueError("batch 6-7 failed")
    return [Article(slug=f"demo-bulk-{n}", title_en=f"[Demo] {n}", status="published",
                    published_at=now) for n in numbers], []

try:
    with paused(ARTICLES) as pause:
        def start():
            pause()
            print("writer", os.getpid(), flush=True)
        try:
            list(add_in_batches(Article, 20, 2, draft, start=start))
        finally:
            # The writers paused the triggers: nothing written is counted yet.
            print("counted while paused:", ARTICLES_TABLE() != counted_before, flush=True)
except ValueError as error:
    print("load:", error, "in", os.getpid())
"""


@pytest.mark.django_db(transaction=True)
def test_a_failed_parallel_load_keeps_its_batches_and_recounts(postgresql):
    counted_before = kept_table(ARTICLES)
    table = (
        "from news.models import ArticleFacetCount as F\n"
        "ARTICLES_TABLE = lambda: set(F.objects.filter(n__gt=0).values_list("
        "'facet_a', 'option_a', 'facet_b', 'option_b', 'n'))\n"
    )
    output = finished(manage("shell", "-c", table + FAILING_LOAD))

    lines = output.splitlines()
    assert "counted while paused: False" in lines
    command = lines[-1].removeprefix("load: batch 6-7 failed in ")
    writers = {line.split()[1] for line in lines if line.startswith("writer ")}
    assert writers and command.isdigit() and command not in writers  # other processes wrote
    written = set(Article.objects.values_list("slug", flat=True))
    assert {f"demo-bulk-{n}" for n in range(6)} <= written
    assert not {"demo-bulk-6", "demo-bulk-7"} & written
    assert kept_table(ARTICLES) != counted_before and is_recounted(ARTICLES)


@pytest.mark.django_db(transaction=True)
def test_a_stopped_load_builds_its_indexes_again_and_recounts(postgresql):
    """SIGTERM (a service manager's stop) unwinds the command as an error does."""
    call_command("loaddata", "seed", verbosity=0)
    tables = tables_of(Article)
    before = indexes(tables)
    load = manage("seed_demo", "--articles", "200000", "--batch-size", "100")
    try:
        while not load.stdout.readline().startswith("Articles:"):
            assert load.poll() is None, "the load ended before writing articles"
        assert len(indexes(tables)) < len(before)  # set aside while it writes
        load.send_signal(signal.SIGTERM)
        assert load.wait(timeout=120) == 128 + signal.SIGTERM
    finally:
        load.kill()

    assert indexes(tables) == before
    assert 0 < Article.objects.filter(slug__startswith="demo-").count() < 200_000
    assert is_recounted(ARTICLES)
