from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clusters.models import Cluster
from news.models import Article
from portal.models import Park, Project, Stakeholder

from . import factories

pytestmark = pytest.mark.django_db


class TestPublishedArticles:
    def test_published_respects_status_and_time(self):
        now = timezone.now()
        past = factories.article(published_at=now - timedelta(minutes=1))
        factories.article(published_at=now + timedelta(minutes=1))  # scheduled
        factories.article(published_at=now - timedelta(days=1), status=Article.Status.DRAFT)
        assert list(Article.objects.published()) == [past]

    def test_boundary_of_published_at(self, monkeypatch):
        moment = timezone.now().replace(microsecond=0)
        exact = factories.article(published_at=moment)
        later = factories.article(published_at=moment + timedelta(microseconds=1))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        assert list(Article.objects.published()) == [exact]
        assert list(Article.objects.scheduled()) == [later]
        assert exact.is_public and not later.is_public

    def test_default_ordering_is_newest_first(self):
        older = factories.article(published_at=timezone.now() - timedelta(days=2))
        newer = factories.article(published_at=timezone.now() - timedelta(days=1))
        assert list(Article.objects.all()) == [newer, older]


class TestDirectoryPublished:
    @pytest.mark.parametrize("model", [Stakeholder, Project, Park, Cluster])
    def test_hidden_entries_are_not_published(self, model):
        build = {
            Stakeholder: factories.stakeholder,
            Project: factories.project,
            Park: factories.park,
            Cluster: factories.cluster,
        }[model]
        shown = build()
        build(is_published=False)
        assert list(model.objects.published()) == [shown]


class TestValidation:
    def test_project_end_before_start_is_invalid(self):
        project = factories.project(start_date=date(2020, 1, 2))
        project.end_date = date(2020, 1, 1)
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert "end_date" in error.value.message_dict

    def test_project_end_before_start_is_refused_by_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            factories.project(start_date=date(2020, 1, 2), end_date=date(2020, 1, 1))

    @pytest.mark.parametrize("field,value", [("budget", Decimal("-1")), ("jobs_created", -1)])
    def test_project_negative_figures_are_invalid(self, field, value):
        project = factories.project()
        setattr(project, field, value)
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert field in error.value.message_dict

    @pytest.mark.parametrize(
        "field,value", [("latitude", Decimal("90.5")), ("longitude", Decimal("-180.1"))]
    )
    def test_park_coordinates_out_of_range_are_invalid(self, field, value):
        park = factories.park()
        setattr(park, field, value)
        with pytest.raises(ValidationError) as error:
            park.full_clean()
        assert field in error.value.message_dict

    def test_park_coordinates_in_range_are_valid(self):
        park = factories.park(latitude=Decimal("56.484645"), longitude=Decimal("84.947649"))
        park.full_clean()

    def test_image_requires_alt_text(self):
        project = factories.project(image="images/2026/x.jpg")
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert "image_alt" in error.value.message_dict

    def test_slugs_are_unique(self):
        factories.stakeholder(slug="same")
        with pytest.raises(IntegrityError), transaction.atomic():
            factories.stakeholder(slug="same")


def test_str_and_urls():
    s = factories.stakeholder(name="Tomsk State University", slug="tsu")
    p = factories.project(name="Medical Center", slug="medical-center")
    c = factories.cluster(name="Timber cluster", slug="timber")
    park = factories.park(name="Park One", slug="park-one")
    a = factories.article(title="Big news", slug="big-news")
    d = factories.direction(name="Science", slug="science")
    assert [str(x) for x in (s, p, c, park, a, d)] == [
        "Tomsk State University",
        "Medical Center",
        "Timber cluster",
        "Park One",
        "Big news",
        "Science",
    ]
    assert s.get_absolute_url() == "/stakeholders/tsu/"
    assert p.get_absolute_url() == "/projects/medical-center/"
    assert c.get_absolute_url() == "/clusters/timber/"
    assert park.get_absolute_url() == "/parks/park-one/"
    assert a.get_absolute_url() == "/news/big-news/"
    assert d.get_absolute_url() == "/about/#direction-science"


def test_roles_link_both_ways():
    member = factories.stakeholder()
    project = factories.project(stakeholders=[(member, "lead")])
    cluster = factories.cluster(members=[(member, "coordinator")])
    cluster.projects.add(project)
    assert list(member.projects.all()) == [project]
    assert list(member.clusters.all()) == [cluster]
    assert list(project.clusters.all()) == [cluster]
    assert project.roles.get().get_role_display() == "Lead"
    assert cluster.memberships.get().get_role_display() == "Coordinator"
