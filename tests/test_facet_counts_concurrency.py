"""The kept facet counts stay right when two transactions write at once: one changes an
article, the other links it (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from news.facet_counts import ARTICLES
from news.models import ArticleFacetCount, ScheduledArticleFacet

from . import factories
from .test_facet_counts import assert_kept_equals_live

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="kept on PostgreSQL only")


def second_client():
    """Another connection to the test database, with transactions of its own."""
    import psycopg2

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    return psycopg2.connect(**params)


@pytest.mark.parametrize(
    "before, after", [("draft", "published"), ("published", "draft")], ids=["publish", "withdraw"]
)
@pytest.mark.parametrize("ahead", [False, True], ids=["now", "scheduled"])
def test_a_link_added_while_its_article_changes_is_counted_once(
    transactional_db, before, after, ahead
):
    """Two transactions at once: one publishes (or withdraws) an article, the other links it to
    a cluster. Each trigger sees only what is committed; the link's waits for the article. An
    article scheduled ahead is taken off the counts (news.scheduled_facets) with that link."""
    when = timezone.now() + timedelta(days=2) if ahead else timezone.now() - timedelta(hours=1)
    article = factories.article(status=before, published_at=when)
    cluster = factories.cluster()
    assert_kept_equals_live()
    publisher, linker = second_client(), second_client()
    try:
        with publisher.cursor() as cursor:  # a transaction, left open
            cursor.execute("UPDATE news_article SET status = %s WHERE id = %s", [after, article.pk])

        def link():
            with linker, linker.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO news_article_clusters (article_id, cluster_id) VALUES (%s, %s)",
                    [article.pk, cluster.pk],
                )

        thread = threading.Thread(target=link)
        thread.start()
        thread.join(0.5)
        waited = thread.is_alive()
        publisher.commit()
        thread.join(10)
    finally:
        publisher.close()
        linker.close()
    assert article.clusters.get() == cluster
    assert_kept_equals_live()
    kept_ahead = ScheduledArticleFacet.objects.filter(
        article_id=article.pk, facet=ARTICLES.facets["cluster"]
    )
    assert list(kept_ahead.values_list("option", flat=True)) == (
        [cluster.pk] if ahead and after == "published" else []
    )
    assert waited, "the link's trigger read the article without waiting for its change"
    cluster_total = ArticleFacetCount.objects.filter(
        facet_a=ARTICLES.facets["cluster"], option_a=cluster.pk, facet_b=0, option_b=0
    ).values_list("n", flat=True)
    assert list(cluster_total) == ([1] if after == "published" else [0] * len(cluster_total))
