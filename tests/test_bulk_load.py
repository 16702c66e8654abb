"""news.bulk_load: batches drafted in a forked process, indexes set aside and built again."""

import os

import pytest
from django.core.management import call_command
from django.db import connection

from clusters.models import Cluster, ClusterMembership
from news.bulk_load import add_in_batches, indexes_built_after, tables_of
from news.models import Article
from portal.models import Stakeholder

pytestmark = pytest.mark.django_db


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
