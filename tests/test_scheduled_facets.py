"""The facets of the articles scheduled ahead, kept by triggers (news.scheduled_facets), follow
every write, and the news lists take them off the kept counts (PostgreSQL)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from cms.roles import PUBLISHERS
from news.facet_counts import ARTICLES, FACETS
from news.models import Article, ScheduledArticleFacet
from portal.kept_counts import paused
from public.listing import Listing, parse_query
from public.listing.counters import LiveCounter
from public.listing.lists import ArticleFilterSet

from . import factories
from .admin_forms import change_url, form_data, staff

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="kept on PostgreSQL only"),
]
RELATIONS = {"cluster": "clusters", "direction": "directions", "project": "projects"}
RELATIONS |= {"stakeholder": "stakeholders", "park": "parks"}


def kept_ahead():
    """(article, facet, option, time) of the kept rows whose time is ahead: what the lists take
    off (a list, so that a row kept twice shows)."""
    rows = ScheduledArticleFacet.objects.filter(published_at__gt=timezone.now())
    return sorted(rows.values_list("article_id", "facet", "option", "published_at"))


def facets_ahead():
    """The same, read from the articles and their links."""
    rows = []
    ahead = Article.objects.filter(status="published", published_at__gt=timezone.now())
    for article in ahead:
        at = article.published_at
        year = at.astimezone(ZoneInfo(settings.TIME_ZONE)).year
        rows += [(article.pk, 0, 0, at), (article.pk, FACETS["year"], year, at)]
        for name, relation in RELATIONS.items():
            linked = getattr(article, relation).values_list("pk", flat=True)
            rows += [(article.pk, FACETS[name], pk, at) for pk in linked]
    return sorted(rows)


def assert_lists_take_them_off(*params):
    for query in ("", *params):
        listing = Listing(ArticleFilterSet, parse_query(ArticleFilterSet, QueryDict(query)))
        kept = [[(o.value, o.count) for o in f.options] for f in listing.counter.facets()]
        live = [[(o.value, o.count) for o in f.options] for f in LiveCounter(listing).facets()]
        assert (kept, listing.counter.total()) == (live, listing.filtered().count()), query


def test_scheduled_facets_follow_every_write_and_come_off_the_counts(monkeypatch):
    clusters = [factories.cluster() for _ in range(3)]
    people = [factories.stakeholder() for _ in range(2)]
    park, project = factories.park(), factories.project()
    later = timezone.now() + timedelta(days=2)
    ahead = [factories.article(published_at=later + timedelta(hours=n)) for n in range(6)]
    for article in ahead:
        article.clusters.set(clusters[:2])
        article.stakeholders.add(people[0])
    published = factories.article()  # its time has come: nothing kept for it
    published.clusters.add(clusters[2])
    draft = factories.article(status=Article.Status.DRAFT, published_at=later)
    draft.parks.add(park)  # a draft's links: nothing kept either
    assert len(kept_ahead()) == 6 * 5 and kept_ahead() == facets_ahead()
    assert ScheduledArticleFacet.objects.count() == 6 * 5

    # Links added, removed (one by one, by set and clear) and moved in place.
    ahead[0].parks.add(park)
    ahead[0].stakeholders.clear()
    ahead[1].clusters.set(clusters[1:])
    Article.clusters.through.objects.filter(article=ahead[2], cluster=clusters[0]).update(
        cluster=clusters[2]
    )
    # Times and statuses: moved to a later time, due now, withdrawn, a draft scheduled.
    ahead[3].published_at = later + timedelta(days=3)
    ahead[3].save()
    ahead[4].published_at = timezone.now() - timedelta(hours=1)
    ahead[4].save()
    ahead[5].status = Article.Status.DRAFT
    ahead[5].save()
    draft.status = Article.Status.PUBLISHED
    draft.save()
    draft.projects.add(project)
    assert kept_ahead() == facets_ahead()
    assert_lists_take_them_off(
        f"cluster={clusters[0].slug}", f"stakeholder={people[0].slug}", f"park={park.slug}",
        f"project={project.slug}", f"year={later.year}",
    )  # fmt: skip

    # Bulk writes, which send no signals; deletions (a linked cluster's links go with it).
    Article.objects.filter(pk=ahead[5].pk).update(status=Article.Status.PUBLISHED)
    Article.objects.filter(pk=ahead[3].pk).update(published_at=later + timedelta(days=4))
    Article.objects.filter(pk=ahead[0].pk).delete()
    clusters[1].delete()
    assert kept_ahead() == facets_ahead()

    # Writes with the triggers paused (seed_demo) are kept by the recount, once each.
    with paused(ARTICLES) as pause:
        pause()
        factories.article(published_at=later).stakeholders.add(people[1])
    assert kept_ahead() == facets_ahead()
    ARTICLES.rebuild()
    assert kept_ahead() == facets_ahead() and len(kept_ahead()) == 23
    assert_lists_take_them_off(f"stakeholder={people[1].slug}", f"year={later.year}")

    # When their time comes the lists count them, with nothing left to take off.
    listing = Listing(ArticleFilterSet, parse_query(ArticleFilterSet, QueryDict("")))
    before = listing.counter.total()
    monkeypatch.setattr(timezone, "now", lambda: later + timedelta(days=5))
    assert kept_ahead() == []
    assert_lists_take_them_off()
    listing = Listing(ArticleFilterSet, parse_query(ArticleFilterSet, QueryDict("")))
    assert (
        listing.counter.total() == before + 6
    )  # ahead[1], [2], [3], [5], the draft, the paused one


def test_a_russian_publisher_schedules_an_article_and_the_russian_lists_wait_for_it(
    client, django_user_model
):
    cluster = factories.cluster(name_en="Cluster", name_ru="Кластер")
    factories.article(title_ru="Уже опубликовано").clusters.add(cluster)
    article = factories.article(status=Article.Status.DRAFT, title_ru="Запланированная новость")
    publisher = staff(django_user_model, "olga", PUBLISHERS)
    publisher.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"  # the Russian admin
    later = (timezone.now() + timedelta(days=2)).astimezone(ZoneInfo(settings.TIME_ZONE))
    form = publisher.get(change_url(article))
    assert "Запланированная новость" in form.content.decode()
    data = form_data(
        form,
        status="published",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
        clusters=[str(cluster.pk)],
    )
    assert publisher.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == "published" and article.clusters.get() == cluster
    assert article.title_ru == "Запланированная новость"  # the Russian text kept
    assert kept_ahead() == facets_ahead() and len(kept_ahead()) == 3

    # The Russian lists count the article published, not the one scheduled.
    page = client.get(f"/ru/news/?cluster={cluster.slug}", HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    assert page.context["paginator"].count == 1
    assert "Уже опубликовано" in page.content.decode()
    assert "Запланированная новость" not in page.content.decode()
    assert client.get(f"/ru/news/{article.slug}/").status_code == 404
    assert_lists_take_them_off(f"cluster={cluster.slug}")
