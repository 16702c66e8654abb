"""What the listing engine builds once per request and reuses: the filters a FilterSet copies,
the published rows and the matching rows. Reusing them must never share state between
requests or between the queries of one request."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from news.models import Article
from public.listing import Listing, parse_query
from public.listing.lists import ArticleFilterSet, ProjectFilterSet

from . import factories

pytestmark = pytest.mark.django_db


def parsed(filterset_class, params):
    return parse_query(filterset_class, QueryDict(params), known=("page",))


def test_validating_a_query_leaves_the_declared_filters_as_they_were(db):
    factories.project(slug="solar")
    declared = ArticleFilterSet.base_filters["project"]
    before = dict(declared.extra)
    assert parsed(ArticleFilterSet, "project=solar").values("project") == ("solar",)
    refused = parsed(ArticleFilterSet, "project=missing").refused
    assert [refusal.name for refusal in refused] == ["project"]
    # The copy built the field and put a queryset into its own ``extra``; the declared
    # filter still holds the callable, so the next request reads the rows of its own time.
    assert declared.extra == before
    assert callable(declared.extra["queryset"])
    assert not hasattr(declared, "_field")
    # A copy is a copy: its parent is set on it, not on the declared filter.
    filterset = ArticleFilterSet(QueryDict("project=solar"))
    assert filterset.filters["project"] is not declared
    assert filterset.filters["project"].parent is filterset
    assert getattr(declared, "parent", None) is not filterset


def test_a_project_published_after_a_first_validation_is_valid_in_the_next(db):
    assert parsed(ArticleFilterSet, "project=late").refused
    factories.project(slug="late")  # ends the content version
    assert parsed(ArticleFilterSet, "project=late").values("project") == ("late",)


def test_each_use_of_the_rows_is_a_fresh_queryset(db):
    article = factories.article()
    listing = Listing(ArticleFilterSet, parsed(ArticleFilterSet, ""))
    first, second = listing.matching(), listing.matching()
    assert first is not second
    assert list(first) == [article]  # evaluating one leaves the other unread
    assert second._result_cache is None
    assert listing.published() is not listing.published()
    assert listing.filtered().model is Article


def test_the_rows_built_once_still_leave_out_a_scheduled_article(db):
    factories.article(slug="now")
    factories.article(slug="later", published_at=timezone.now() + timedelta(hours=1))
    listing = Listing(ArticleFilterSet, parsed(ArticleFilterSet, ""))
    assert [a.slug for a in listing.filtered()] == ["now"]
    assert [a.slug for a in listing.filtered()] == ["now"]  # the second use, from the clone
    assert listing.count() == 1


def test_the_facets_and_the_count_read_the_same_rows(db):
    factories.project(slug="a", status="in-progress")
    factories.project(slug="b", status="completed")
    listing = Listing(ProjectFilterSet, parsed(ProjectFilterSet, "status=in-progress"))
    assert listing.count() == 1
    status = next(facet for facet in listing.facets() if facet.name == "status")
    counts = {option.value: option.count for option in status.options}
    assert counts["in-progress"] == 1 and counts["completed"] == 1
