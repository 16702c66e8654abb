"""The kept facet counts of /news/ equal live counts after every kind of write (PostgreSQL)."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from clusters.models import Cluster
from news import facet_counts
from news.models import Article, ArticleFacetCount
from portal.models import Direction, Project, Stakeholder
from public.listing import Listing, parse_query
from public.listing.counters import LiveCounter
from public.listing.kept import KeptCounter
from public.listing.lists import ArticleFilterSet

from . import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="kept on PostgreSQL only"),
]
TOMSK = ZoneInfo("Asia/Tomsk")


def facets_both_ways(params):
    listing = Listing(ArticleFilterSet, parse_query(ArticleFilterSet, QueryDict(params)))
    kept = listing.counter
    assert isinstance(kept, KeptCounter), params
    as_list = [
        (f.name, [(o.value, o.count, o.selected) for o in f.options], f.truncated)
        for f in kept.facets()
    ]
    live = [
        (f.name, [(o.value, o.count, o.selected) for o in f.options], f.truncated)
        for f in LiveCounter(listing).facets()
    ]
    return (as_list, kept.total()), (live, listing.filtered().count())


def every_single_filter():
    params = [""]
    params += [f"cluster={c.slug}" for c in Cluster.objects.published()]
    params += [f"direction={slug}" for slug in Direction.objects.values_list("slug", flat=True)]
    for model, name in ((Project, "project"), (Stakeholder, "stakeholder")):
        params += [
            f"{name}={slug}" for slug in model.objects.published().values_list("slug", flat=True)
        ]
    params += [f"year={year}" for year in (2015, 2016, 2017, 2026)]
    return params


def assert_kept_equals_live():
    for params in every_single_filter():
        kept, live = facets_both_ways(params)
        assert kept == live, params


@pytest.fixture
def content():
    rng = random.Random(7)
    directions = [factories.direction() for _ in range(3)]
    clusters = [factories.cluster() for _ in range(3)] + [factories.cluster(is_published=False)]
    projects = [factories.project() for _ in range(4)] + [factories.project(is_published=False)]
    people = [factories.stakeholder() for _ in range(4)]
    now = timezone.now()
    articles = []
    for n in range(30):
        year = rng.choice([2015, 2016, 2017])
        state = rng.choice(["published", "published", "draft", "scheduled"])
        published_at = (
            now + timedelta(days=3)
            if state == "scheduled"
            # The first minutes of a year in Tomsk are still the old year in UTC.
            else datetime(year, 1, 1, 0, 30, tzinfo=TOMSK) + timedelta(days=n)
        )
        article = factories.article(
            status="draft" if state == "draft" else "published", published_at=published_at
        )
        article.clusters.set(rng.sample(clusters, rng.randint(0, 2)))
        article.directions.set(rng.sample(directions, rng.randint(0, 2)))
        article.projects.set(rng.sample(projects, rng.randint(0, 2)))
        article.stakeholders.set(rng.sample(people, rng.randint(0, 3)))
        articles.append(article)
    return {"articles": articles, "clusters": clusters, "projects": projects, "people": people}


def test_kept_counts_follow_every_kind_of_write(content):
    articles = content["articles"]
    assert_kept_equals_live()
    # Links added and removed, one by one and all at once.
    articles[0].clusters.add(content["clusters"][2])
    articles[1].stakeholders.clear()
    articles[2].projects.set(content["projects"][:3])
    assert_kept_equals_live()
    # Status and time: unpublished, published, moved to another year, scheduled.
    articles[3].status = "draft"
    articles[3].save()
    articles[4].status = "published"
    articles[4].published_at = datetime(2026, 6, 1, tzinfo=TOMSK)
    articles[4].save()
    articles[5].published_at = datetime(2016, 12, 31, 23, 30, tzinfo=TOMSK)
    articles[5].save()
    assert_kept_equals_live()
    # Bulk writes, which send no signals.
    Article.objects.filter(pk__in=[a.pk for a in articles[6:12]]).update(status="draft")
    Article.objects.filter(pk__in=[a.pk for a in articles[12:15]]).update(
        published_at=datetime(2017, 3, 1, tzinfo=TOMSK)
    )
    Article.clusters.through.objects.bulk_create(
        [
            Article.clusters.through(article_id=a.pk, cluster=content["clusters"][1])
            for a in articles[15:20]
            if not a.clusters.filter(pk=content["clusters"][1].pk).exists()
        ]
    )
    assert_kept_equals_live()
    # Deletions: an article, and linked objects whose links go with them.
    articles[20].delete()
    content["projects"][0].delete()
    content["clusters"][0].delete()
    content["people"][0].delete()
    assert_kept_equals_live()
    # Unpublishing a linked object changes what the public sees, not the kept counts.
    content["projects"][1].is_published = False
    content["projects"][1].save()
    assert_kept_equals_live()


def test_a_scheduled_article_is_counted_when_its_time_comes(content, monkeypatch):
    later = timezone.now() + timedelta(days=4)
    before = facets_both_ways("")
    monkeypatch.setattr(timezone, "now", lambda: later)
    after = facets_both_ways("")
    assert after[0] == after[1]
    assert after[0][1] > before[0][1]  # the scheduled ones now count


def test_rebuild_and_paused_writes_give_the_same_table(content):
    def table():
        return set(
            ArticleFacetCount.objects.filter(n__gt=0).values_list(
                "facet_a", "option_a", "facet_b", "option_b", "n"
            )
        )

    kept = table()
    facet_counts.rebuild()
    assert table() == kept
    with facet_counts.paused():
        extra = factories.article(status="published")
        extra.clusters.add(content["clusters"][1])
        content["articles"][0].delete()
    assert_kept_equals_live()
    assert ArticleFacetCount.objects.filter(n__lt=0).count() == 0
