"""Crawl of the public site: every URL reachable from the home page, the feeds, the sitemap,
robots.txt and the health check answers 200, for visitors and for staff, with generated
content in every combination of links and states and the seed content.

No page may answer 5xx, and no link may lead to a 4xx: a failure names the URL, where it
was found and, for an exception, its traceback.
"""

import io
import time
from datetime import timedelta
from itertools import combinations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from clusters.models import Cluster
from news.models import Article
from portal.models import Park, Project, Stakeholder
from public.listing.lists import ArticleFilterSet

from . import factories
from .crawl import Crawl

LINK_KINDS = ("clusters", "projects", "stakeholders", "parks", "directions")
EVERY_COMBINATION = [
    kinds for size in range(len(LINK_KINDS) + 1) for kinds in combinations(LINK_KINDS, size)
]
STATES = ("published", "draft", "scheduled")
# Which of its kind's objects an article links to: published ones, unpublished ones, or both
# (directions have no state: the first direction, the second, or both).
VARIANTS = ("published", "unpublished", "both")
FIXED_URLS = [
    "/",
    reverse("news:feed-rss"),
    reverse("news:feed-atom"),
    reverse("sitemap"),
    reverse("robots"),
    reverse("healthz"),
]


def png(name="pixel.png"):
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "teal").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def directory():
    """Directions, park types, stakeholders, parks, projects and clusters, published and
    not, linked to each other, published objects to unpublished ones too."""
    first, second = (
        factories.direction(name="Digital economy", summary="Data and software."),
        factories.direction(name="New materials", summary="Materials science."),
    )
    technopark, campus = factories.park_type(name="Technopark"), factories.park_type()
    university = factories.stakeholder(
        name="Tomsk University of Crawling",
        short_name="TUC",
        city="Tomsk",
        country="Russia",
        website="https://tuc.example.org/",
        description="A **university**.\n\n- research\n- teaching",
        logo=png("logo.png"),
        logo_alt="TUC logo",
    )
    company = factories.stakeholder(name='R&D <Company> "Quoted"', kind="company")
    hidden_stakeholder = factories.stakeholder(kind="research-institute", is_published=False)
    factories.stakeholder(name="Lonely foundation", kind="foundation")
    park = factories.park(
        park_type=technopark,
        address="Tomsk, 1 Park street",
        latitude="56.484640",
        longitude="84.947649",
        area="12.50",
        description="A [project link](/projects/) and [an outside one](https://example.org/).",
        image=png("park.png"),
        image_alt="The park",
    )
    hidden_park = factories.park(park_type=campus, is_published=False)
    project = factories.project(
        stakeholders=[(university, "lead"), (hidden_stakeholder, "partner"), (company, "investor")],
        direction=first,
        status="in-progress",
        is_featured=True,
        summary="A featured project.",
        start_date=timezone.localdate() - timedelta(days=400),
        end_date=timezone.localdate() + timedelta(days=400),
        budget="1000000.00",
        jobs_created=120,
        website="https://project.example.org/",
        image=png("project.png"),
        image_alt="The project",
    )
    project.parks.add(park, hidden_park)
    hidden_project = factories.project(
        stakeholders=[(university, "participant"), (company, "customer")],
        direction=second,
        is_featured=True,
        is_published=False,
    )
    hidden_project.parks.add(park)
    factories.project(status="completed")  # published, linked to nothing
    cluster = factories.cluster(
        members=[(university, "coordinator"), (hidden_stakeholder, "anchor"), (company, "member")],
        summary="The cluster of the crawl.",
        image=png("cluster.png"),
        image_alt="The cluster",
    )
    cluster.projects.add(project, hidden_project)
    cluster.parks.add(park, hidden_park)
    cluster.directions.add(first, second)
    hidden_cluster = factories.cluster(members=[(university, "partner")], is_published=False)
    hidden_cluster.projects.add(project)
    hidden_cluster.parks.add(park)
    hidden_cluster.directions.add(first)
    factories.cluster()  # published, linked to nothing
    return {
        "clusters": {"published": [cluster], "unpublished": [hidden_cluster]},
        "projects": {"published": [project], "unpublished": [hidden_project]},
        "stakeholders": {"published": [university, company], "unpublished": [hidden_stakeholder]},
        "parks": {"published": [park], "unpublished": [hidden_park]},
        "directions": {"published": [first], "unpublished": [second]},
    }


def articles(objects):
    """An article for every combination of links in every state, the links alternating
    between published objects, unpublished ones and both."""
    now = timezone.now()
    made = []
    for index, kinds in enumerate(EVERY_COMBINATION):
        for state_index, state in enumerate(STATES):
            variant = VARIANTS[(index + state_index) % len(VARIANTS)]
            name = f"{state} {variant} {'+'.join(kinds) or 'nothing'}"
            if state == "published":
                # Over two years and more, so that the year facet has several years.
                fields = {"published_at": now - timedelta(days=25 * index + 1)}
            elif state == "draft":
                fields = {"status": Article.Status.DRAFT, "published_at": now - timedelta(days=1)}
            else:
                fields = {"published_at": now + timedelta(days=index + 1)}
            article = factories.article(title=f"Article {name}", lead=f"Lead of {name}.", **fields)
            for kind in kinds:
                chosen = objects[kind]
                targets = chosen["published"] + chosen["unpublished"]
                if variant != "both":
                    targets = chosen[variant]
                getattr(article, kind).add(*targets)
            made.append(article)
    project = objects["projects"]["published"][0]
    made.append(
        factories.article(
            title='R&D <b>news</b> with "quotes" & a picture',
            lead="With an image, inner and outer links.",
            body=(
                f"See [the project]({project.get_absolute_url()}), [the news](/news/?year=2020)"
                " and [an outside site](https://example.org/page#part).\n\n"
                "## A heading\n\n- a list item with **bold** text"
            ),
            source="Crawl agency",
            source_url="https://agency.example.org/story",
            image=png("article.png"),
            image_alt="A teal square",
        )
    )
    return made


@pytest.fixture
def content(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = directory()
    made = articles(objects)
    assert len([a for a in made if a.is_public]) > 2 * settings.PORTAL_PAGE_SIZE
    return objects


def unpublished_urls():
    """The preview addresses of everything the public may not see."""
    now = timezone.now()
    drafts = Article.objects.exclude(status=Article.Status.PUBLISHED, published_at__lte=now)
    urls = [article.get_absolute_url() for article in drafts]
    for model in (Cluster, Project, Stakeholder, Park):
        urls += [obj.get_absolute_url() for obj in model.objects.filter(is_published=False)]
    return urls


def ignored_parameters(url, response):
    """A link of the site must not carry parameters its page ignores: the page, or the
    feed, would show everything instead of what the link promised."""
    path, _, query = url.partition("?")
    names = {pair.split("=", 1)[0] for pair in query.split("&") if pair}
    if path.startswith("/news/feed/"):
        ignored = sorted(names - set(ArticleFilterSet.base_filters))
    elif response.context is not None:
        ignored = response.context.get("ignored_parameters") or []
    else:
        ignored = []
    return [f"ignores {', '.join(ignored)}"] if ignored else []


def crawl(client, name, extra_urls=()):
    started = time.monotonic()
    result = Crawl(client, check=ignored_parameters).run(FIXED_URLS + list(extra_urls))
    seconds = time.monotonic() - started
    assert not result.cap_reached, f"More URLs than the cap of {result.limit}:\n{result.report()}"
    failures = result.failures()
    assert not failures, result.report(failures)
    print(f"{name} crawl: {len(result.status)} URLs in {seconds:.1f} s")
    return result


def assert_reaches_everything(result):
    """The crawl saw the pages the generated content must produce."""
    urls = set(result.status)
    public = Article.objects.published()
    assert {a.get_absolute_url() for a in public} <= urls
    for model in (Cluster, Project, Stakeholder, Park):
        assert {obj.get_absolute_url() for obj in model.objects.published()} <= urls
    assert {"/news/?page=2", "/news/?page=3"} <= urls
    for start in (
        "/sitemap-news.xml",
        "/news/feed/rss/?cluster=",
        "/news/feed/atom/?direction=",
        "/search/?q=",
        "/news/?year=",
        "/projects/?status=",
        "/stakeholders/?kind=",
        "/parks/?type=",
        "/news/?q=&",
    ):
        assert any(url.startswith(start) for url in urls), start


@pytest.mark.slow
@pytest.mark.django_db
def test_every_public_url_answers_200_to_visitors(client, content):
    result = crawl(client, "visitor")
    assert_reaches_everything(result)
    # No preview is reachable by a visitor.
    assert not set(unpublished_urls()) & set(result.status)


@pytest.mark.slow
@pytest.mark.django_db
def test_every_public_url_and_preview_answers_200_to_staff(content, superuser):
    staff = Client()
    staff.force_login(superuser)
    previews = unpublished_urls()
    assert len(previews) > 2 * len(EVERY_COMBINATION)
    for url in previews:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert b"preview-banner" in response.content, url
    result = crawl(staff, "staff", previews)
    assert_reaches_everything(result)
