"""What a kept page is keyed by: version, language and script prefix, the parameters the
filters read; unknown parameters and random searches add no entries."""

import gzip
import io
import pickle

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.urls import set_script_prefix
from django.utils import translation

from news.models import Article
from portal.models import Direction
from public import caching
from public.caching import PAGE_PARAMETERS, cache_key, end_content_version
from public.listing.lists import (
    ArticleFilterSet,
    DocumentFilterSet,
    ParkFilterSet,
    ProjectFilterSet,
    RoadmapActionFilterSet,
    StakeholderFilterSet,
)

from .. import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.cache_urls")]


@pytest.mark.urls("inotomsk.urls")
def test_public_pages_are_cached_and_show_changes_at_once(
    seeded, client, django_assert_num_queries
):
    first = client.get("/news/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/news/").content == first.content
    article = Article.objects.published().first()
    article.title = "A title edited a moment ago"
    article.save()
    assert "A title edited a moment ago" in client.get("/news/").content.decode()


@pytest.mark.urls("inotomsk.urls")
def test_a_page_is_kept_compressed_for_clients_that_accept_gzip(
    seeded, client, django_assert_num_queries
):
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    plain = client.get("/ru/news/")
    compressed = client.get("/ru/news/", headers=browser)
    assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content) / 3
    assert "<h1>Новости" in plain.content.decode()
    with django_assert_num_queries(0):
        again = client.get("/ru/news/", headers=browser)
        identity = client.get("/ru/news/")
    assert again.content == compressed.content and again["ETag"] == compressed["ETag"]
    assert not identity.has_header("Content-Encoding") and identity.content == plain.content
    assert (
        client.get("/ru/news/", headers=browser, HTTP_IF_NONE_MATCH=again["ETag"]).status_code
        == 304
    )


@pytest.mark.urls("inotomsk.urls")
@pytest.mark.parametrize("url", ["/news/feed/rss/", "/news/feed/atom/", "/sitemap.xml"])
def test_feeds_and_sitemap_answer_conditional_requests(seeded, client, url):
    response = client.get(url)
    assert response.status_code == 200
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    if url.startswith("/news/feed/"):
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert since.status_code == 304


def test_cookies_that_change_no_page_do_not_bypass_it(client, django_assert_num_queries):
    factories.direction(name="Energy")
    client.get("/directions/")
    client.cookies["_ga"] = "GA1.2.3"  # analytics
    client.cookies["csrftoken"] = "x" * 32
    with django_assert_num_queries(0):
        assert client.get("/directions/").content == b"Energy"


def test_unknown_parameters_add_no_entries(client, django_assert_num_queries):
    factories.direction(name="Energy")
    client.get("/directions/")
    entries = len(cache._cache)
    for n in range(20):
        # Served the page kept for the known parameters, with no query.
        with django_assert_num_queries(0):
            assert client.get(f"/directions/?utm_source=x{n}&fbclid={n}").content == b"Energy"
    assert len(cache._cache) == entries
    # A known parameter in another order is the same page.
    client.get("/directions/?page=2&cluster=a")
    with django_assert_num_queries(0):
        client.get("/directions/?cluster=a&page=2&utm_medium=mail")
    assert len(cache._cache) == entries + 1


def test_a_page_with_unknown_parameters_is_not_kept_for_others(client):
    """Rendered first with an unknown parameter (which a list page notes), a page is not kept."""
    factories.direction(name="Energy")
    client.get("/directions/?tracking=1")
    assert len(cache._cache) == 1  # the content version only


def test_the_keyed_parameters_are_those_the_filters_read():

    read = {"page", "format"}  # format: a list's download
    for filterset in (ArticleFilterSet, ProjectFilterSet, StakeholderFilterSet, ParkFilterSet):
        read |= set(filterset.base_filters)
    for filterset in (RoadmapActionFilterSet, DocumentFilterSet):
        read |= set(filterset.base_filters)
    assert read == PAGE_PARAMETERS


def test_end_content_version_command_shows_changes_made_outside_the_admin(client):
    factories.direction(name="Before")
    assert client.get("/directions/").content == b"Before"

    Direction.objects.update(name="Changed by a script")  # no signal
    assert client.get("/directions/").content == b"Before"
    out = io.StringIO()
    call_command("end_content_version", stdout=out)
    assert "Ended the content version" in out.getvalue()
    assert client.get("/directions/").content == b"Changed by a script"


def test_every_cache_key_names_version_language_and_script_prefix():

    keys = set()
    keys.add(cache_key("facets", "x"))
    with translation.override("ru"):
        keys.add(cache_key("facets", "x"))
    set_script_prefix("/portal/")
    try:
        keys.add(cache_key("facets", "x"))
    finally:
        set_script_prefix("/")
    end_content_version()
    keys.add(cache_key("facets", "x"))
    keys.add(cache_key("facets", "y"))
    assert len(keys) == 5


@pytest.mark.urls("inotomsk.urls")
def test_no_page_kept_for_visitors_holds_anything_of_a_logged_in_user(seeded, superuser):
    staff = Client()
    staff.force_login(superuser)
    draft = factories.article(status=Article.Status.DRAFT, title="Draft only staff see")
    urls = ["/", "/news/", "/news/?cluster=" + "pharmaceutics-medical-equipment-and-it"]
    urls += ["/projects/", "/clusters/", "/stakeholders/", "/search/?q=Tomsk", "/about/"]
    urls += [Article.objects.published().first().get_absolute_url(), draft.get_absolute_url()]
    for url in urls:
        staff.get(url)  # staff first: nothing of theirs may be kept
    visitor = Client()
    for url in urls:
        visitor.get(url)
    # The local-memory cache keeps pickles; the kept pages are responses.
    kept = [pickle.loads(value) for value in cache._cache.values()]
    html = [entry.content.decode() for entry in kept if isinstance(entry, HttpResponse)]
    assert len(html) >= len(urls) - 1  # every public page but the draft is kept
    for page in html:
        for personal in ("boss", "Log out", "csrfmiddlewaretoken", "Not published.", "Draft only"):
            assert personal not in page


@pytest.mark.urls("inotomsk.urls")
def test_random_searches_add_only_a_bounded_table_of_markers(seeded, monkeypatch):
    """A search asked once keeps nothing it computes (page, results, counts, API answer): a
    flood of random words adds at most the table of SEEN_SLOTS markers."""

    monkeypatch.setattr(caching, "SEEN_SLOTS", 16)
    urls = ("/search/?q=", "/news/?q=", "/ru/news/?q=", "/api/v1/articles/?q=")
    # A visitor, and one with a made-up session cookie (which bypasses the page cache).
    visitors = (Client(), Client(HTTP_COOKIE="sessionid=made-up"))
    for visitor in visitors:
        for url in urls:  # what any page keeps whatever is searched (site pages, options)
            visitor.get(url.split("?")[0])

    def kept():  # the API's counters per minute come and go with the clock
        return [key for key in cache._cache if ":api-throttle:" not in key]

    entries = len(kept())
    for n in range(100):
        for url in urls:
            for number, visitor in enumerate(visitors):
                assert visitor.get(f"{url}zq{n}word{number}").status_code == 200
    assert len(kept()) - entries <= caching.SEEN_SLOTS


@pytest.mark.urls("inotomsk.urls")
def test_a_search_asked_again_is_kept(seeded, client, django_assert_num_queries):
    first = client.get("/search/?q=tomsk")
    second = client.get("/search/?q=tomsk")  # asked again: now kept
    with django_assert_num_queries(0):
        third = client.get("/search/?q=tomsk")
    assert first.content == second.content == third.content
    client.get("/api/v1/articles/?q=tomsk")
    client.get("/api/v1/articles/?q=tomsk")
    with django_assert_num_queries(0):
        assert client.get("/api/v1/articles/?q=tomsk").status_code == 200
