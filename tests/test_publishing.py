"""One rule for "public" (portal.publishing): each model states it once; the querysets, the
rows and the related rows a page shows all read it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clusters.models import Cluster
from events.models import Event
from news.models import Article
from portal.models import Project
from portal.publishing import public_condition, published_related

from . import factories

pytestmark = pytest.mark.django_db


def test_is_public_says_what_published_selects():
    now = timezone.now()
    rows = [
        factories.article(),
        factories.article(status="draft", published_at=None),
        factories.article(published_at=now + timedelta(days=1)),  # scheduled
        factories.event(),
        factories.event(status="draft"),
        factories.project(),
        factories.project(is_published=False),
    ]
    for row in rows:
        published = type(row).objects.published().filter(pk=row.pk).exists()
        assert row.is_public == published, row
    assert [row.is_public for row in rows] == [True, False, False, True, False, True, False]


def test_the_rule_reads_the_time_when_it_is_read(monkeypatch):
    article = factories.article(published_at=timezone.now() + timedelta(hours=1))
    assert not article.is_public
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert article.is_public
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_the_rule_across_a_relation_and_published_related_rows():
    shown, hidden = factories.cluster(), factories.cluster(is_published=False)
    project = factories.project()
    project.clusters.add(shown, hidden)
    assert list(Project.objects.filter(public_condition(Cluster, "clusters"))) == [project]
    loaded = Project.objects.prefetch_related(published_related(Project, "clusters")).get()
    assert list(loaded.clusters.all()) == [shown]
    # Link rows with a role are kept where the entry at their other end is public.
    person, draft = factories.stakeholder(), factories.stakeholder(is_published=False)
    for member in (person, draft):
        shown.memberships.create(stakeholder=member, role="member")
    loaded = Cluster.objects.prefetch_related(published_related(Cluster, "memberships")).get(
        pk=shown.pk
    )
    assert [m.stakeholder for m in loaded.memberships.all()] == [person]
    event = factories.event()
    event.articles.add(factories.article(), factories.article(status="draft", published_at=None))
    loaded = Event.objects.prefetch_related(
        published_related(Event, "articles", to_attr="public_articles")
    ).get()
    assert len(loaded.public_articles) == 1
