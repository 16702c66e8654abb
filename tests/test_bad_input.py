"""Bad input never gets a 500: a table of hostile requests, and random parameters."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusters.models import Cluster
from contact.spam import RATE_LIMIT

from . import factories
from .contact.helpers import form_data

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/news/", "/projects/", "/stakeholders/", "/parks/", "/clusters/", "/search/"]

# (url, expected status, text the answer must contain)
TABLE = [
    ("/news/?cluster=no-such-cluster", 400, "The Cluster filter was not applied"),
    ("/news/?year=abc", 400, "is not a year"),
    ("/news/?year=99999999999999999999999", 400, "is not a year"),
    ("/news/?year=-5", 400, "is not a year"),
    ("/news/?year=2017&year=zz", 400, "is not a year"),
    ("/news/?page=abc", 404, "Page not found"),
    ("/news/?page=0", 404, "Page not found"),
    ("/news/?page=-1", 404, "Page not found"),
    ("/news/?page=99999999999999999999999999", 404, "Page not found"),
    ("/news/?page=1.5", 404, "Page not found"),
    ("/news/?q=" + "x" * 5000, 400, "Ensure this value has at most 200 characters"),
    ("/search/?q=" + "x" * 5000, 400, "too long"),
    ("/news/?q=%00", 400, "NUL character"),
    ("/search/?q=a%00b", 400, "NUL character"),
    ("/news/?cluster=timber%00", 400, "NUL character"),
    ("/news/feed/rss/?cluster=%00", 400, "NUL character"),
    ("/projects/?status=exploded", 400, "The Status filter was not applied"),
    ("/stakeholders/?kind=%3Cscript%3E", 400, "The Kind filter was not applied"),
    ("/parks/?type=../../etc/passwd", 400, "The Type filter was not applied"),
    ("/news/?title__icontains=x", 200, "is not used on this page and was ignored"),
    ("/projects/?ordering=-budget", 200, "is not used on this page and was ignored"),
    ("/projects/?stakeholders__user__password__startswith=a", 200, "was ignored"),
    ("/news/?cluster=&cluster=", 200, "results"),
    ("/news/?q=%22unbalanced", 200, "results"),
    ("/search/?q=%26%7C%21%3A*()", 200, "Search"),
    ("/search/?q=-", 200, "Search"),
    ("/news/no-such-article/", 404, "Page not found"),
    ("/projects/%2e%2e%2f%2e%2e%2fetc/", 404, "Page not found"),
    ("/clusters/..%2f..%2fsettings/", 404, "Page not found"),
    ("/stakeholders/%F0%9F%92%A5/", 404, "Page not found"),
    ("/parks/<script>/", 404, "Page not found"),
    ("/news/feed/rss/?year=zzz&page=-1", 400, "Year"),
    ("/news/?year=²⁰¹⁷", 400, "not a year"),
    ("/news/?year=①⑨①⑦", 400, "not a year"),
    ("/news/feed/atom/?year=²⁰¹⁷", 400, "Year"),
    ("/news/?page=²", 404, "Invalid page"),
    ("/news/feed/rss/?q=%1B%07x", 200, "<rss"),
    ("/news/feed/atom/?q=%0C", 200, "<feed"),
    ("/sitemap-nothing.xml", 404, ""),
    ("/map/?cluster=no-such-cluster", 400, "The Cluster filter was not applied"),
    ("/map/?kind=%3Cscript%3E", 400, "filter was not applied"),
    ("/map/?direction=../../etc", 400, "The Direction filter was not applied"),
    ("/map/?cluster=%00", 400, "NUL character"),
    ("/map/data.geojson?kind=everything", 400, "FeatureCollection"),
    ("/sitemap-news.xml?p=999", 404, ""),
    # The accessible version's switch: a bad next goes home, unknown values change nothing.
    ("/accessible/?version=accessible&next=https://attacker.example/", 302, ""),
    ("/accessible/?size=%00&scheme=%3Cscript%3E&next=%0D%0ALocation:x", 302, ""),
    ("/contact/?issued=%00&website=x", 200, "Write to the programme"),
]


@pytest.mark.parametrize("url,status,text", TABLE)
def test_bad_input_table(seeded, client, url, status, text):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    body = response.content.decode()
    assert text in body
    assert "Traceback" not in body


# The feedback form (tests/contact/ has more): (changes to a valid form, status, text).
CONTACT_POSTS = [
    ({"website": "https://spam.example/"}, 302, ""),  # honeypot: kept as spam, nothing said
    ({"issued": "now"}, 400, "could not be checked"),
    ({"email": "anna@@example"}, 400, "Enter a valid email address."),
    ({"message": "x" * 5001}, 400, "at most 5000 characters"),
    ({"consent": None}, 400, "Tick the box to give your consent"),
    ({"topic": "a\nBcc: x@example.org"}, 400, "Write this on one line"),
    ({"name": "\x00"}, 400, "Null characters are not allowed."),
    ({"email": ["a@example.org", "b@example.org"], "consent": "maybe"}, 302, ""),
]


@pytest.mark.parametrize("changes,status,text", CONTACT_POSTS)
def test_bad_contact_messages(client, changes, status, text):
    response = client.post("/contact/", form_data(**changes))
    assert response.status_code == status, (changes, response.status_code)
    assert text in response.content.decode()


def test_the_contact_limit_answers_429(client):
    answers = [client.post("/ru/contact/", form_data()).status_code for _ in range(RATE_LIMIT + 1)]
    assert answers == [302] * RATE_LIMIT + [429]


def test_bad_filter_is_dropped_but_good_ones_apply(seeded, client):
    response = client.get("/news/?year=2016&cluster=no-such-cluster")
    assert response.status_code == 400
    assert response.context["paginator"].count == 3  # only the year applies
    assert "no-such-cluster" not in [c["label"] for c in response.context["active_filters"]]


@pytest.mark.parametrize("url", ["/", "/news/", "/no-such-page/", "/robots.txt"])
def test_a_host_that_is_not_allowed_gets_400(db, url):
    client = Client(raise_request_exception=False)
    response = client.get(url, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert b"attacker.example" not in response.content


def test_kept_filter_checks_follow_the_content(db, client):
    # What a filter value means is kept until content changes: a slug that goes away stops
    # applying at once, and one that appears starts to.
    cluster = factories.cluster(slug="timber")
    factories.article().clusters.add(cluster)
    assert client.get("/news/?cluster=timber").status_code == 200
    assert client.get("/news/?cluster=paper").status_code == 400
    Cluster.objects.filter(pk=cluster.pk).update(slug="paper")  # a bulk update sends no signal
    assert client.get("/news/?cluster=timber").status_code == 200  # kept until content changes
    cluster.refresh_from_db()
    cluster.save()  # any save ends the content version
    assert client.get("/news/?cluster=timber").status_code == 400
    paper = client.get("/news/?cluster=paper")
    assert paper.status_code == 200 and paper.context["paginator"].count == 1


def test_long_q_on_lists_is_refused_with_a_note(seeded, client):
    response = client.get("/projects/", {"q": "y" * 300})
    assert response.status_code == 400
    assert response.context["paginator"].count == 4


PARAM_NAMES = st.sampled_from(
    [
        "q",
        "page",
        "cluster",
        "direction",
        "project",
        "stakeholder",
        "year",
        "status",
        "kind",
        "type",
        "park",
        "ordering",
        "o",
        "x__in",
        "id",
    ]
)
VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["timber", "2016", "planned", "university", "industrial", "%", "*", "'"]),
    # Digits to str.isdigit() that int() refuses or reads: superscripts, circled, other scripts.
    st.sampled_from(["²⁰¹⁷", "①⑨①⑦", "٢٠١٧", "２０１７", "2⁰17", "𝟐𝟎𝟏𝟕"]),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=6),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    page=st.sampled_from(LIST_PAGES + ["/news/feed/rss/", "/news/feed/atom/"]),
    params=st.lists(st.tuples(PARAM_NAMES, VALUES), max_size=6),
)
def test_random_parameters_never_break_a_list_page(seeded, client, page, params):
    response = client.get(page, params and _as_querydict(params))
    assert response.status_code in (200, 400, 404), (page, params, response.status_code)


def _as_querydict(pairs):
    data = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data
