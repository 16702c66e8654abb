"""The facets of the articles scheduled ahead, kept by triggers (news.scheduled_facets), follow
every write, and the news lists take them off the kept counts (PostgreSQL)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from news.facet_counts import ARTICLES, FACETS
from news.models import Article, ScheduledArticleFacet
from portal.kept_counts import paused
from public.listing import Listing, parse_query
from public.listing.counters import LiveCounter
from public.listing.lists import ArticleFilterSet

from . import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="kept on PostgreSQL only"),
]
RELATIONS = {"cluster": "clusters", "direction": "directions", "project": "projects"}
RELATIONS |= {"stakeholder": "stakeholders", "park": "parks"}


def kept_ahead():
    """(article, facet, option) of the kept rows whose time is ahead: what the lists take off."""
    rows = ScheduledArticleFacet.objects.filter(published_at__gt=timezone.now())
    return sorted(rows.values_list("article_id", "facet", "option"))


def facets_ahead():
    """The same, read from the articles and their links."""
    rows = []
    ahead = Article.objects.filter(status="published", published_at__gt=timezone.now())
    for article in ahead:
        year = article.published_at.astimezone(ZoneInfo(settings.TIME_ZONE)).year
        rows += [(article.pk, 0, 0), (article.pk, FACETS["year"], year)]
        for name, relation in RELATIONS.items():
            linked = getattr(article, relation).values_list("pk", flat=True)
            rows += [(article.pk, FACETS[name], pk) for pk in linked]
    return sorted(rows)


def kept_and_live(params):
    listing = Listing(ArticleFilterSet, parse_query(ArticleFilterSet, QueryDict(params)))
    facets = [[(o.value, o.count) for o in f.options] for f in listing.counter.facets()]
    live = [[(o.value, o.count) for o in f.options] for f in LiveCounter(listing).facets()]
    return (facets, listing.counter.total()), (live, listing.filtered().count())


def test_scheduled_facets_follow_every_write_and_come_off_the_counts(monkeypatch):
    clusters = [factories.cluster() for _ in range(3)]
    people = [factories.stakeholder() for _ in range(2)]
    park = factories.park()
    later = timezone.now() + timedelta(days=2)
    ahead = [factories.article(published_at=later + timedelta(hours=n)) for n in range(4)]
    for article in ahead:
        article.clusters.set(clusters[:2])
        article.stakeholders.add(people[0])
    factories.article().clusters.add(clusters[2])  # published now: nothing kept
    draft = factories.article(status=Article.Status.DRAFT, published_at=later)
    assert len(kept_ahead()) == 4 * 5 and kept_ahead() == facets_ahead()

    # Links added, removed, moved in place; an article's time moved, its status changed.
    ahead[0].parks.add(park)
    ahead[0].stakeholders.clear()
    Article.clusters.through.objects.filter(article=ahead[1], cluster=clusters[0]).update(
        cluster=clusters[2]
    )
    ahead[2].published_at = timezone.now() - timedelta(hours=1)  # published now after all
    ahead[2].save()
    ahead[3].status = Article.Status.DRAFT
    ahead[3].save()
    draft.status = Article.Status.PUBLISHED
    draft.save()
    draft.projects.add(factories.project())
    assert kept_ahead() == facets_ahead()
    for params in ("", f"cluster={clusters[0].slug}", f"stakeholder={people[0].slug}"):
        kept, live = kept_and_live(params)
        assert kept == live, params

    # Deleted: an article, a linked cluster (its links go with it).
    ahead[0].delete()
    clusters[1].delete()
    assert kept_ahead() == facets_ahead()

    # Writes with the triggers paused (seed_demo) are kept by the recount.
    with paused(ARTICLES) as pause:
        pause()
        factories.article(published_at=later).stakeholders.add(people[1])
    assert kept_ahead() == facets_ahead() and len(kept_ahead()) == 4 + 3 + 3

    # When their time comes the lists count them, with nothing left to take off.
    kept, live = kept_and_live("")
    assert kept == live
    monkeypatch.setattr(timezone, "now", lambda: later + timedelta(days=1))
    assert kept_ahead() == []
    after_kept, after_live = kept_and_live("")
    assert after_kept == after_live and after_kept[1] == kept[1] + 3
