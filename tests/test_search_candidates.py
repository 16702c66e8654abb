"""The newest matches of a news search, by either of its two ways (public.textsearch
.newest_matches): walking the newest articles, or taking the few matches from the index."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from news.models import Article
from public.textsearch import search_articles

from . import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def ranked(q):
    return list(search_articles(Article.objects.published(), q).values_list("slug", flat=True))


@pytest.mark.parametrize("sparse_below", [0, 1000], ids=["walk", "index"])
def test_both_ways_give_the_newest_matches_within_the_filters(sparse_below):
    start = timezone.now() - timedelta(days=100)
    for n in range(8):
        factories.article(
            slug=f"permafrost-{n}", body="A word on permafrost.", published_at=start + timedelta(n)
        )
    factories.article(slug="taiga", body="Taiga only.", published_at=start + timedelta(50))
    factories.article(slug="draft", body="Permafrost.", status=Article.Status.DRAFT)
    factories.article(
        slug="scheduled", body="Permafrost.", published_at=timezone.now() + timedelta(1)
    )

    with (
        mock.patch("public.textsearch.SPARSE_MATCHES", sparse_below),
        mock.patch("public.textsearch.SEARCH_CANDIDATES", 5),
    ):
        newest = ranked("permafrost")
        rare = ranked("taiga")
        none = ranked("tundra")

    assert sorted(newest) == [f"permafrost-{n}" for n in range(3, 8)]
    assert rare == ["taiga"] and none == []


def test_an_empty_list_searched_stays_empty():
    factories.article(slug="permafrost", body="Permafrost.")
    assert list(search_articles(Article.objects.none(), "permafrost")) == []


def test_a_search_alone_finds_its_matches_once_for_the_page_and_the_facets(client):
    cluster = factories.cluster(slug="forests", name="Forests")
    for n in range(3):
        factories.article(slug=f"permafrost-{n}", body="Permafrost.").clusters.add(cluster)
    factories.article(slug="taiga", body="Taiga.").clusters.add(cluster)
    finds = []

    def count_finds(execute, sql, params, many, context):
        finds.extend(["matches"] if "WITH sparse" in sql else [])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_finds):
        alone = client.get("/news/?q=permafrost")
        assert finds == ["matches"]
        # Within another filter the facets still count the search's own matches.
        filtered = client.get("/news/?q=permafrost&cluster=forests")
    assert alone.status_code == filtered.status_code == 200
    for response in (alone, filtered):
        facet = next(f for f in response.context["facets"] if f.name == "cluster")
        assert [(o.value, o.count) for o in facet.options] == [("forests", 3)]
