"""Small builders for test data: explicit defaults, unique slugs."""

import itertools
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from clusters.models import Cluster, ClusterMembership
from events.models import Event
from news.models import Article
from portal.models import Direction, Park, ParkType, Project, ProjectStakeholder, Stakeholder
from programme.models import Document, Page, RoadmapAction

# The smallest file the document checks accept as a PDF.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

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


def event(**kwargs):
    n = _n()
    start = kwargs.pop("start", timezone.now() + timedelta(days=n))
    defaults = {
        "title": f"Event {n}",
        "slug": f"event-{n}",
        "start": start,
        "end": start + timedelta(hours=3),
        "place": f"Hall {n}",
        "description": f"About event {n}.",
        "status": Event.Status.PUBLISHED,
    }
    return Event.objects.create(**{**defaults, **kwargs})


def roadmap_action(number=None, stakeholders=(), **kwargs):
    number = number if number is not None else _n()
    kwargs.setdefault("title", f"Action {number}")
    obj = RoadmapAction.objects.create(number=number, **kwargs)
    obj.stakeholders.set(stakeholders)
    return obj


def page(slug=None, placement="footer", **kwargs):
    slug = slug or f"page-{_n()}"
    kwargs.setdefault("title", slug.replace("-", " ").capitalize())
    return Page.objects.create(slug=slug, placement=placement, **kwargs)


def document(title=None, data=PDF, name="doc.pdf", **kwargs):
    """A document with a real file, checked as the admin checks it."""
    n = _n()
    title = title or f"Document {n}"
    kwargs.setdefault("slug", f"document-{n}")
    kwargs.setdefault("language", "en")
    obj = Document(title=title, **kwargs)
    obj.file.save(name, ContentFile(data), save=False)
    obj.full_clean()
    obj.save()
    return obj
