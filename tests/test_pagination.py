"""Big lists: deep pages read by key, counts and facets cached per content version."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from news.models import Article
from public.listing import pages
from public.listing.pages import MatchingKeys

from . import factories
from .pages import listed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def articles():
    same_time = timezone.now() - timedelta(days=1)
    # Ties on the publication time too, so that the tie-breaker matters.
    return [factories.article(published_at=same_time - timedelta(hours=n // 3)) for n in range(27)]


@pytest.mark.parametrize("per_page,orphans", [(12, 0), (5, 2), (27, 0)])
def test_deep_pages_hold_what_slicing_gives(monkeypatch, articles, per_page, orphans):
    monkeypatch.setattr(pages, "DEEP_OFFSET", 0)  # every page after the first is deep
    rows = Article.objects.published()
    plain = Paginator(rows, per_page, orphans=orphans)
    deep = Paginator(MatchingKeys(lambda: rows), per_page, orphans=orphans)
    assert deep.num_pages == plain.num_pages
    for number in plain.page_range:
        assert list(deep.page(number)) == [a.pk for a in plain.page(number)], number


def test_a_deep_page_of_the_news_in_order(monkeypatch, client, articles, django_assert_num_queries):
    monkeypatch.setattr(pages, "DEEP_OFFSET", 12)
    newest_first = list(Article.objects.published())
    response = client.get("/news/", {"page": 3})
    assert response.status_code == 200
    assert listed(response) == newest_first[24:]
    content = response.content.decode()
    assert content.index(newest_first[24].title) < content.index(newest_first[26].title)
    response = client.get("/news/", {"page": 2})
    assert listed(response) == newest_first[12:24]
    assert client.get("/news/", {"page": 4}).status_code == 404


def test_counts_and_facets_are_cached_until_content_changes(client, django_assert_num_queries):
    cluster = factories.cluster(slug="timber")
    first = factories.article()
    first.clusters.add(cluster)
    cold = client.get("/news/")
    # The count, the page's keys and the facets are all kept: only the rows are read.
    with django_assert_num_queries(1):
        warm = client.get("/news/")
    assert warm.content == cold.content

    def cluster_count(response):
        facet = next(f for f in response.context["facets"] if f.name == "cluster")
        return next(o.count for o in facet.options if o.value == "timber")

    assert warm.context["paginator"].count == 1 and cluster_count(warm) == 1
    factories.article().clusters.add(cluster)
    changed = client.get("/news/")
    assert changed.context["paginator"].count == 2 and cluster_count(changed) == 2
    assert '<span class="count">(2)</span>' not in warm.content.decode()
    assert '<span class="count">(2)</span>' in changed.content.decode()
    Article.objects.filter(pk=first.pk).delete()
    after_delete = client.get("/news/")
    assert after_delete.context["paginator"].count == 1 and cluster_count(after_delete) == 1


@pytest.mark.parametrize(
    "url,make,field",
    [
        ("/news/", factories.article, "title"),
        ("/projects/", factories.project, "name"),
        ("/stakeholders/", factories.stakeholder, "name"),
        ("/parks/", factories.park, "name"),
        ("/clusters/", factories.cluster, "name"),
    ],
)
def test_kept_rows_follow_every_change(client, url, make, field):
    obj = make()
    assert str(obj) in client.get(url).content.decode()
    setattr(obj, field, "Renamed & kept")
    obj.save()  # as the admin does
    assert "Renamed &amp; kept" in client.get(url).content.decode()
    obj.delete()
    assert "Renamed" not in client.get(url).content.decode()
