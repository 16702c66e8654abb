"""A small published directory, with drafts and scheduled entries beside it."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from news.models import Article
from portal.models import KeyFact

from .. import factories


@pytest.fixture
def directory():
    """Two of everything, linked; a draft and a scheduled article; Russian names for some."""
    direction = factories.direction(slug="energy", name="Energy", name_ru="Энергетика")
    park_type = factories.park_type(slug="technopark", name="Technopark")
    tsu = factories.stakeholder(slug="tsu", name="Tomsk State University", name_ru="ТГУ")
    hidden = factories.stakeholder(slug="hidden-org", is_published=False)
    park = factories.park(slug="kirov-park", park_type=park_type)
    project = factories.project(
        slug="hydrogen",
        name="Hydrogen",
        direction=direction,
        status="in-progress",
        stakeholders=[(tsu, "lead"), (hidden, "partner")],
    )
    project.parks.add(park)
    other_project = factories.project(slug="aardvark", name="Aardvark", status="planned")
    cluster = factories.cluster(slug="smart-city", members=[(tsu, "anchor")])
    cluster.projects.add(project)
    cluster.parks.add(park)
    cluster.directions.add(direction)
    factories.cluster(slug="draft-cluster", is_published=False)
    news = factories.article(slug="news-in-cluster", title="Cluster news", title_ru="Новости")
    news.clusters.add(cluster)
    news.projects.add(project)
    news.stakeholders.add(tsu, hidden)
    news.directions.add(direction)
    old = factories.article(
        slug="old-news",
        published_at=datetime(2017, 5, 4, 12, 0, tzinfo=timezone.get_current_timezone()),
    )
    factories.article(slug="a-draft", status=Article.Status.DRAFT)
    factories.article(slug="scheduled", published_at=timezone.now() + timedelta(days=1))
    goal = KeyFact.objects.create(
        order=1,
        figure="RUB 250 bln",
        text="The goal.",
        label="investment",
        value="250.00",
        unit="RUB bln",
        kind="target",
        target_year=2030,
    )
    goal.parts.create(label="universities", value="6.00", unit="")
    return {
        "cluster": cluster,
        "project": project,
        "other_project": other_project,
        "tsu": tsu,
        "park": park,
        "news": news,
        "old": old,
        "direction": direction,
    }
