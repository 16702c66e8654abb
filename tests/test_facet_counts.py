"""The kept facet counts of /news/ and /projects/ equal live counts after every kind of write
(PostgreSQL)."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from clusters.models import Cluster, ProjectFacetCount
from clusters.project_counts import PROJECTS, STATUSES
from news.facet_counts import ARTICLES
from news.models import Article, ArticleFacetCount
from portal.kept_counts import paused
from portal.models import Direction, Park, Project, ProjectStakeholder, Stakeholder
from public.listing import Listing, parse_query
from public.listing.counters import LiveCounter
from public.listing.kept import KeptCounter
from public.listing.lists import ArticleFilterSet, ProjectFilterSet

from . import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="kept on PostgreSQL only"),
]
TOMSK = ZoneInfo("Asia/Tomsk")


def facets_both_ways(params, filterset_class=ArticleFilterSet):
    listing = Listing(filterset_class, parse_query(filterset_class, QueryDict(params)))
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


def every_single_project_filter():
    params = ["", *(f"status={status}" for status in Project.Status.values)]
    params += [f"cluster={c.slug}" for c in Cluster.objects.published()]
    params += [f"direction={slug}" for slug in Direction.objects.values_list("slug", flat=True)]
    for model, name in ((Park, "park"), (Stakeholder, "stakeholder")):
        params += [
            f"{name}={slug}" for slug in model.objects.published().values_list("slug", flat=True)
        ]
    return params


def assert_project_counts_equal_live():
    for params in every_single_project_filter():
        kept, live = facets_both_ways(params, ProjectFilterSet)
        assert kept == live, params
    assert facets_both_ways("", ProjectFilterSet)[0][1] > 0  # the fixture has projects


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
    ARTICLES.rebuild()
    assert table() == kept
    with paused(ARTICLES) as pause:
        pause()
        extra = factories.article(status="published")
        extra.clusters.add(content["clusters"][1])
        content["articles"][0].delete()
    assert_kept_equals_live()
    assert ArticleFacetCount.objects.filter(n__lt=0).count() == 0


@pytest.fixture
def projects():
    rng = random.Random(11)
    directions = [factories.direction() for _ in range(3)]
    clusters = [factories.cluster() for _ in range(3)] + [factories.cluster(is_published=False)]
    parks = [factories.park() for _ in range(3)] + [factories.park(is_published=False)]
    people = [factories.stakeholder() for _ in range(4)] + [
        factories.stakeholder(is_published=False)
    ]
    rows = []
    for _n in range(25):
        project = factories.project(
            # A status the sources do not give stays blank: in no status option.
            status=rng.choice(["", *Project.Status.values]),
            direction=rng.choice([None, *directions]),
            is_published=rng.random() < 0.8,
            stakeholders=[(p, "partner") for p in rng.sample(people, rng.randint(0, 3))],
        )
        project.parks.set(rng.sample(parks, rng.randint(0, 2)))
        project.clusters.set(rng.sample(clusters, rng.randint(0, 2)))
        rows.append(project)
    return {"projects": rows, "directions": directions, "clusters": clusters, "parks": parks}


def test_kept_project_counts_follow_every_kind_of_write(projects):
    rows = projects["projects"]
    assert_project_counts_equal_live()
    # Links added and removed (a stakeholder's part is a row of its own).
    rows[0].clusters.add(projects["clusters"][2])
    rows[1].parks.clear()
    rows[2].roles.all().delete()
    rows[3].stakeholders.add(factories.stakeholder())
    # A link changed in place (the stakeholder or cluster of an inline's row, a restored
    # version): the old option is taken off, the new one added.
    role = ProjectStakeholder.objects.filter(project__in=rows, project__is_published=True)[0]
    role.stakeholder = factories.stakeholder()
    role.save()
    link = Project.clusters.through.objects.filter(project__is_published=True)[0]
    link.cluster = factories.cluster()
    link.save()
    assert_project_counts_equal_live()
    # Status, direction and publication, saved and in bulk (no signals).
    rows[4].status, rows[4].direction = "completed", None
    rows[4].save()
    rows[5].is_published = not rows[5].is_published
    rows[5].save()
    Project.objects.filter(pk__in=[p.pk for p in rows[6:12]]).update(status="planned")
    Project.objects.filter(pk__in=[p.pk for p in rows[12:15]]).update(is_published=False)
    assert_project_counts_equal_live()
    # Deletions: a project, and linked rows whose links go with them; a deleted direction
    # leaves its projects without one (SET NULL, an update).
    rows[20].delete()
    projects["parks"][0].delete()
    projects["clusters"][0].delete()
    projects["directions"][0].delete()
    assert_project_counts_equal_live()
    assert ProjectFacetCount.objects.filter(n__lt=0).count() == 0
    # /projects/ reads the table, unfiltered and with one filter value.
    listing = Listing(ProjectFilterSet, parse_query(ProjectFilterSet, QueryDict("status=planned")))
    assert isinstance(listing.counter, KeptCounter)
    assert listing.counter.total() == Project.objects.published().filter(status="planned").count()


def test_every_status_has_a_code_in_the_kept_counts():
    assert set(STATUSES) == set(Project.Status.values)


def test_rebuilt_project_counts_equal_the_kept_ones(projects):
    def table():
        return set(
            ProjectFacetCount.objects.filter(n__gt=0).values_list(
                "facet_a", "option_a", "facet_b", "option_b", "n"
            )
        )

    kept = table()
    assert kept
    PROJECTS.rebuild()
    assert table() == kept
    with paused(ARTICLES, PROJECTS) as pause:
        pause()
        factories.project(status="completed", stakeholders=[(factories.stakeholder(), "lead")])
        projects["projects"][0].delete()
    assert_project_counts_equal_live()
