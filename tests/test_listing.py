"""The listing engine (public.listing): the query parsed once, the rows, their pages, the facets
counted live or from the kept table, and the one wording of refused values."""

import dataclasses
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article
from portal.models import Project, Stakeholder
from programme.models import RoadmapAction
from public import textsearch
from public.listing import (
    ChoiceFacetFilter,
    InLanguageFilter,
    LargeSlugFilter,
    ListFilterSet,
    Listing,
    OptionFilter,
    SearchFilter,
    YearFilter,
    pages,
    parse_query,
    refusals,
)
from public.listing.counters import LiveCounter, counter_for
from public.listing.kept import KeptCounter
from public.listing.options import LARGE_FACET_LIMIT

from . import factories

pytestmark = pytest.mark.django_db
TOMSK = ZoneInfo("Asia/Tomsk")


class Articles(ListFilterSet):
    q = SearchFilter(search=textsearch.search_articles, ranked=True)
    cluster = OptionFilter(label="Cluster", kind="cluster", relation="clusters")
    stakeholder = LargeSlugFilter(label="Stakeholder", model=Stakeholder, relation="stakeholders")
    year = YearFilter("published_at", label="Year")
    translated = InLanguageFilter()

    class Meta:
        model = Article
        fields = []


class Projects(ListFilterSet):
    status = ChoiceFacetFilter(label="Status", choices=Project.Status.choices)

    class Meta:
        model = Project
        fields = []


class Actions(ListFilterSet):
    year = YearFilter("due_date", label="Due year")

    class Meta:
        model = RoadmapAction
        fields = []


def query(filterset_class, params):
    return parse_query(filterset_class, QueryDict(params), known=("page",))


def options(listing, name):
    facet = next(f for f in listing.facets() if f.name == name)
    return {o.value: (o.count, o.selected) for o in facet.options}


def keys(listing):
    rows = listing.matching()
    return rows if isinstance(rows, list) else list(rows.values_list("pk", flat=True))


@pytest.fixture
def news():
    timber, oil = factories.cluster(slug="timber", name="Timber"), factories.cluster(slug="oil")
    people = [factories.stakeholder(slug=f"org-{n}") for n in range(2)]
    made = []
    for n, (cluster, year) in enumerate([(timber, 2016), (timber, 2017), (oil, 2017)]):
        article = factories.article(
            title=f"Forest news {n}", published_at=datetime(year, 1, 1, 3, 0, tzinfo=TOMSK)
        )
        article.clusters.add(cluster)
        article.stakeholders.add(people[n % 2])
        made.append(article)
    factories.article(status="draft").clusters.add(timber)  # never counted
    return made


def test_the_query_is_parsed_once_into_a_frozen_object(news):
    parsed = query(Articles, "cluster=timber&year=abc&year=2017&q=+&utm_source=x&page=2")
    # The valid filters apply; the empty search box is no filter.
    assert parsed.filters == (("cluster", ("timber",)),)
    assert parsed.active == {"cluster": ["timber"]}
    [refusal] = parsed.refused
    assert (refusal.name, refusal.label) == ("year", "Year")
    assert refusal.messages == ("“abc” is not a year such as 2017.",)
    assert [(c.name, c.value, c.label) for c in parsed.choices] == [("cluster", "timber", "Timber")]
    assert parsed.ignored == ("utm_source",)  # "page" is known to the page
    assert parsed.urlencode() == "cluster=timber"
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.filters = ()
    parsed.active["cluster"].append("oil")  # a copy: the query stays as it was
    assert parsed.active == {"cluster": ["timber"]}


def test_a_parsed_query_is_kept_until_content_changes(news):
    query(Articles, "stakeholder=org-0&cluster=timber")
    with CaptureQueriesContext(connection) as context:
        again = query(Articles, "cluster=timber&stakeholder=org-0")  # any order
    assert len(context.captured_queries) == 0
    assert again.active == {"cluster": ["timber"], "stakeholder": ["org-0"]}
    assert query(Articles, "stakeholder=org-9").refused[0].name == "stakeholder"
    factories.stakeholder(slug="org-9")  # a save ends the content version
    assert query(Articles, "stakeholder=org-9").active == {"stakeholder": ["org-9"]}


def test_repeated_values_mean_either_and_years_are_read_in_tomsk_time(news):
    either = Listing(Articles, query(Articles, "year=2016&year=2017&cluster=timber"))
    assert keys(either) == [news[1].pk, news[0].pk]  # newest first, the draft left out
    assert either.count() == 2
    by_stakeholder = Listing(Articles, query(Articles, "stakeholder=org-1"))
    assert keys(by_stakeholder) == [news[1].pk]


def test_facets_count_each_option_within_the_other_filters(news):
    listing = Listing(Articles, query(Articles, "cluster=timber&year=2017"))
    assert isinstance(listing.counter, LiveCounter) or connection.vendor == "postgresql"
    # The cluster facet leaves its own filter out; the year facet keeps the cluster filter.
    assert options(listing, "cluster") == {"timber": (1, True), "oil": (1, False)}
    assert options(listing, "year") == {"2017": (1, True), "2016": (1, False)}
    assert options(listing, "stakeholder") == {"org-1": (1, False)}


def test_a_large_facet_lists_its_top_options_the_selected_ones_first(db):
    for n in range(LARGE_FACET_LIMIT + 5):
        person = factories.stakeholder(slug=f"org-{n:02}", name=f"Org {n:02}")
        for _ in range(1 if n == 0 else 2):
            factories.article().stakeholders.add(person)
    listing = Listing(Articles, query(Articles, "stakeholder=org-00"))
    facet = next(f for f in listing.facets() if f.name == "stakeholder")
    assert facet.truncated and len(facet.options) == LARGE_FACET_LIMIT
    assert (facet.options[0].value, facet.options[0].selected) == ("org-00", True)
    assert [o.count for o in facet.options[1:]] == [2] * (LARGE_FACET_LIMIT - 1)


def test_a_search_applies_last_and_facets_count_within_its_matches(news):
    listing = Listing(Articles, query(Articles, "q=Forest&cluster=timber"))
    assert sorted(keys(listing)) == sorted([news[0].pk, news[1].pk])
    assert options(listing, "cluster") == {"timber": (2, True), "oil": (1, False)}
    assert listing.is_ranked()


def test_choices_and_a_date_year_leave_rows_without_a_value_out(db):
    factories.project(status="planned")
    factories.project(status="")
    projects = Listing(Projects, query(Projects, "status=planned"))
    assert projects.count() == 1
    assert options(projects, "status")["planned"] == (1, True)
    factories.roadmap_action(due_date=date(2018, 5, 1))
    factories.roadmap_action(due_date=None)
    actions = Listing(Actions, query(Actions, ""))
    assert options(actions, "year") == {"2018": (1, False)}
    assert Listing(Actions, query(Actions, "year=2018")).count() == 1


def test_the_counter_is_chosen_in_one_place(news):
    def counter(params):
        return type(counter_for(Listing(Articles, query(Articles, params))))

    kept = KeptCounter if connection.vendor == "postgresql" else LiveCounter
    assert counter("") is kept and counter("cluster=timber") is kept
    # Two filter values, a search or a filter the table does not hold: counted live.
    assert counter("cluster=timber&year=2017") is LiveCounter
    assert counter("q=Forest") is LiveCounter
    assert counter("translated=1") is LiveCounter
    # Projects are kept too; roadmap actions are not.
    assert type(counter_for(Listing(Projects, query(Projects, "status=planned")))) is kept
    assert type(counter_for(Listing(Actions, query(Actions, "")))) is LiveCounter


@pytest.mark.skipif(connection.vendor != "postgresql", reason="kept on PostgreSQL only")
def test_kept_counts_equal_live_counts(news):
    factories.article(published_at=timezone.now() + timedelta(days=2)).clusters.add(
        news[0].clusters.get()
    )  # scheduled: in the table, taken off when read
    for params in ("", "cluster=timber", "year=2017", "stakeholder=org-0"):
        listing = Listing(Articles, query(Articles, params))
        assert isinstance(listing.counter, KeptCounter)
        live = LiveCounter(listing)
        assert listing.counter.facets() == live.facets(), params
        assert listing.counter.total() == live.total(), params


@pytest.mark.parametrize("per_page,orphans", [(2, 0), (3, 1), (7, 0)])
def test_deep_pages_hold_what_slicing_gives(monkeypatch, per_page, orphans):
    now = timezone.now()
    for n in range(7):  # ties on the time too, so that the tie-breaker matters
        factories.article(published_at=now - timedelta(hours=n // 3))
    monkeypatch.setattr(pages, "DEEP_OFFSET", 0)  # every page after the first is deep
    rows = Article.objects.published()
    plain = Paginator(rows, per_page, orphans=orphans)
    deep = Paginator(pages.MatchingKeys(lambda: rows), per_page, orphans=orphans)
    assert deep.num_pages == plain.num_pages
    for number in plain.page_range:
        assert list(deep.page(number)) == [a.pk for a in plain.page(number)], number


def test_count_and_pages_are_kept_and_bad_pages_are_404(news):
    listing = Listing(Articles, query(Articles, ""), per_page=2)
    assert list(listing.page(2)) == [news[0].pk]
    assert list(listing.page("last")) == [news[0].pk]
    fresh = Listing(Articles, query(Articles, ""), per_page=2)
    with CaptureQueriesContext(connection) as context:
        assert fresh.count() == 3 and list(fresh.page(2)) == [news[0].pk]
    assert len(context.captured_queries) == 0
    for number in ("0", "abc", "3", "²"):
        with pytest.raises(Http404):
            listing.page(number)


def test_refused_values_are_worded_in_one_place(news):
    refused = query(Articles, "year=abc&cluster=nope").refused
    assert refusals.notices(refused)[0].startswith("The Cluster filter was not applied: ")
    assert refusals.summary(refused).startswith("Cluster: ")
    assert "; Year: “abc” is not a year such as 2017." in refusals.summary(refused)
    assert list(refusals.errors(refused)) == ["cluster", "year"]
    as_json = refusals.refused_response(refused, "json")
    assert as_json.status_code == 400
    assert list(json.loads(as_json.content)["errors"]) == ["cluster", "year"]
    as_text = refusals.refused_response(refused, "csv")
    assert as_text.status_code == 400 and as_text["Content-Type"].startswith("text/plain")
    assert as_text.content.decode().splitlines()[1] == (
        "year: The Year filter was not applied: “abc” is not a year such as 2017."
    )
