"""Related news for every combination of links an article can have (a PostgreSQL-only 500 once)."""

from itertools import combinations

import pytest
from django.test import Client
from django.urls import reverse

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
