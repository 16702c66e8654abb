"""A small published directory, with drafts beside it, in Tomsk and elsewhere."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from news.models import Article

from .. import factories
from .helpers import tomsk


@pytest.fixture
def directory():
    """Two published clusters and a draft one, two directions, published and draft projects
    with and without budgets, jobs, clusters and directions; stakeholders and articles."""
    with translation.override("en"):
        c1 = factories.cluster(slug="c1", name="=Formula cluster", order=1)
        c2 = factories.cluster(slug="c2", name="Second cluster", order=2)
        hidden = factories.cluster(slug="c3", name="Hidden cluster", is_published=False)
        d1 = factories.direction(slug="d1", name="Direction one", order=1)
        d2 = factories.direction(slug="d2", name="Direction two", order=2)
        uni = factories.stakeholder(kind="university")
        firm = factories.stakeholder(kind="company")
        factories.stakeholder(kind="university")  # in no project
        factories.stakeholder(kind="company", is_published=False)
        p1 = factories.project(
            direction=d1,
            status="in-progress",
            budget=Decimal("1500000.50"),
            jobs_created=10,
            stakeholders=[(uni, "lead")],
        )
        p2 = factories.project(
            direction=d2, status="planned", jobs_created=5, stakeholders=[(firm, "partner")]
        )
        p3 = factories.project(status="completed", budget=Decimal("50"))
        p4 = factories.project(status="planned")  # only in the draft cluster
        draft = factories.project(
            direction=d1,
            status="planned",
            budget=Decimal("999999"),
            jobs_created=999,
            is_published=False,
        )
        c1.projects.add(p1, p2, draft)
        c2.projects.add(p2)
        hidden.projects.add(p4)
        factories.article(published_at=tomsk(2021)).projects.add(p1)
        factories.article(published_at=tomsk(2023))
        factories.article(published_at=tomsk(2023, 9))
        factories.article(published_at=tomsk(2023), status=Article.Status.DRAFT)
        factories.article(published_at=timezone.now() + timedelta(days=3))  # scheduled
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4}
