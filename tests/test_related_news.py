"""Related news for every combination of links an article can have (a PostgreSQL-only 500 once)."""

import re
from datetime import timedelta
from itertools import combinations
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from news.models import Article

from . import factories

LINK_KINDS = ("clusters", "projects", "stakeholders", "parks", "directions")
EVERY_COMBINATION = [
    kinds for size in range(len(LINK_KINDS) + 1) for kinds in combinations(LINK_KINDS, size)
]


def linked_objects():
    return {
        "clusters": factories.cluster(),
        "projects": factories.project(),
        "stakeholders": factories.stakeholder(),
        "parks": factories.park(),
        "directions": factories.direction(),
    }


def link(article, objects, kinds):
    for kind in kinds:
        getattr(article, kind).add(objects[kind])


@pytest.mark.django_db
def test_every_combination_of_links_serves_page_feed_and_preview(client, superuser):
    staff = Client()
    staff.force_login(superuser)
    objects = linked_objects()
    # An older article sharing every link, so that each combination has related news.
    neighbour = factories.article(title="Neighbour sharing everything")
    link(neighbour, objects, LINK_KINDS)
    articles = {}
    for kinds in EVERY_COMBINATION:
        article = factories.article(title=f"Linked to {'+'.join(kinds) or 'nothing'}")
        link(article, objects, kinds)
        draft = factories.article(
            title=f"Draft linked to {'+'.join(kinds) or 'nothing'}", status=Article.Status.DRAFT
        )
        link(draft, objects, kinds)
        articles[kinds] = (article, draft)

    feed = client.get(reverse("news:feed-rss"), {"page": "1"})
    assert feed.status_code == 200

    for kinds, (article, draft) in articles.items():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, kinds
        related = response.context["related_articles"]
        # Parks are shown on the page but do not make news related.
        if set(kinds) - {"parks"}:
            assert neighbour in related, kinds
        else:
            assert related == [], kinds
        assert article not in related and draft not in related

        preview = staff.get(draft.get_absolute_url())
        assert preview.status_code == 200, kinds
        assert preview.context["is_preview"]
        assert draft not in preview.context["related_articles"]

    # The feed carries the newest articles, each combination once, through every filter.
    for kind, param in (("clusters", "cluster"), ("directions", "direction")):
        filtered = client.get(reverse("news:feed-rss"), {param: objects[kind].slug})
        assert filtered.status_code == 200
        expected = [a for kinds, (a, _draft) in articles.items() if kind in kinds]
        for article in expected[:10]:
            assert article.title.encode() in filtered.content


def _link_names(html, section_id):
    section = re.search(rf'aria-labelledby="{section_id}">(.*?)</section>', html, re.S)
    return re.findall(r'<li><a href="[^"]+">(?:<span lang="\w+">)?([^<]+)<', section.group(1))


@pytest.mark.django_db
def test_the_article_lists_its_published_links_in_order_in_both_languages(client):
    article = factories.article()
    article.clusters.add(
        factories.cluster(name_en="B cluster", name_ru="А-кластер", order=2),
        factories.cluster(name_en="A cluster", name_ru="Б-кластер", order=1),
        factories.cluster(name_en="Hidden cluster", is_published=False),
    )
    article.stakeholders.add(
        factories.stakeholder(name_en="Zeta", name_ru="Альфа"),
        factories.stakeholder(name_en="Beta", name_ru=""),  # shown in English on /ru/
        factories.stakeholder(name_en="Hidden", is_published=False),
    )
    article.directions.add(factories.direction(name_en="Direction", name_ru="Направление"))
    english = client.get(article.get_absolute_url()).content.decode()
    russian = client.get(f"/ru/news/{article.slug}/").content.decode()
    # Clusters by their order first, then by name as the page shows it.
    assert _link_names(english, "rel-clusters") == ["A cluster", "B cluster"]
    assert _link_names(russian, "rel-clusters") == ["Б-кластер", "А-кластер"]
    assert _link_names(english, "rel-stakeholders") == ["Beta", "Zeta"]
    assert _link_names(russian, "rel-stakeholders") == ["Beta", "Альфа"]
    assert _link_names(russian, "rel-directions") == ["Направление"]
    assert 'href="/ru/stakeholders/' in russian
    for html in (english, russian):
        assert "Hidden" not in html
        assert 'aria-labelledby="rel-projects"' not in html  # none linked: no section


@pytest.mark.django_db
def test_related_news_follow_the_clock_and_only_published_shared_entries(client):
    # The related news' query is compiled once per process; the time and the article are
    # put in at each use.
    now = timezone.now()
    cluster = factories.cluster()
    hidden_project = factories.project(is_published=False)
    article = factories.article(published_at=now - timedelta(days=5))
    article.clusters.add(cluster)
    article.projects.add(hidden_project)
    scheduled = factories.article(
        title="Scheduled neighbour", published_at=now + timedelta(hours=1)
    )
    scheduled.clusters.add(cluster)
    by_hidden_project = factories.article(published_at=now - timedelta(days=1))
    by_hidden_project.projects.add(hidden_project)
    assert client.get(article.get_absolute_url()).context["related_articles"] == []

    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        related = client.get(f"/ru/news/{article.slug}/").context["related_articles"]
    assert related == [scheduled]
    assert related[0].title == "Scheduled neighbour"
    assert related[0].published_at == scheduled.published_at

    # Another article sharing the cluster gets its own related news from the same query.
    other = factories.article(published_at=now - timedelta(days=2))
    other.clusters.add(cluster)
    assert client.get(other.get_absolute_url()).context["related_articles"] == [article]
    cluster.is_published = False
    cluster.save()
    assert client.get(article.get_absolute_url()).context["related_articles"] == []
