"""Small builders for test data: explicit defaults, unique slugs."""

import itertools
from datetime import timedelta

from django.utils import timezone

from clusters.models import Cluster, ClusterMembership
from news.models import Article
from portal.models import Direction, Park, ParkType, Project, ProjectStakeholder, Stakeholder

_counter = itertools.count(1)


def _n():
    return next(_counter)


def direction(**kwargs):
    n = _n()
    return Direction.objects.create(
        **{"name": f"Direction {n}", "slug": f"direction-{n}", **kwargs}
    )


def park_type(**kwargs):
    n = _n()
    return ParkType.objects.create(**{"name": f"Park type {n}", "slug": f"park-type-{n}", **kwargs})


def stakeholder(**kwargs):
    n = _n()
    defaults = {"name": f"Stakeholder {n}", "slug": f"stakeholder-{n}", "kind": "university"}
    return Stakeholder.objects.create(**{**defaults, **kwargs})


def park(**kwargs):
    n = _n()
    if "park_type" not in kwargs:
        kwargs["park_type"] = park_type()
    return Park.objects.create(**{"name": f"Park {n}", "slug": f"park-{n}", **kwargs})


def project(stakeholders=(), **kwargs):
    n = _n()
    obj = Project.objects.create(**{"name": f"Project {n}", "slug": f"project-{n}", **kwargs})
    for member, role in stakeholders:
        ProjectStakeholder.objects.create(project=obj, stakeholder=member, role=role)
    return obj


def cluster(members=(), **kwargs):
    n = _n()
    obj = Cluster.objects.create(**{"name": f"Cluster {n}", "slug": f"cluster-{n}", **kwargs})
    for member, role in members:
        ClusterMembership.objects.create(cluster=obj, stakeholder=member, role=role)
    return obj


def article(**kwargs):
    n = _n()
    defaults = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "body": f"First paragraph {n}.\n\nSecond paragraph {n}.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=n),
    }
    return Article.objects.create(**{**defaults, **kwargs})
