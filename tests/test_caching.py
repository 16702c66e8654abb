"""The whole-page cache: anonymous pages come from the cache until content changes."""

import io
import pickle
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from news.models import Article

from . import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.cache_urls")]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()


@pytest.fixture
def visitor():
    """An anonymous browser, separate from the staff member's."""
    return Client()


def test_second_anonymous_request_is_served_from_cache(client, django_assert_num_queries):
    factories.direction(name="Nuclear medicine")
    first = client.get("/directions/")
    with django_assert_num_queries(0):
        second = client.get("/directions/")
    assert second.status_code == 200
    assert second.content == first.content == b"Nuclear medicine"


def test_query_string_is_part_of_the_key_and_the_browser_language_is_not(
    client, django_assert_num_queries
):
    client.get("/directions/")
    with django_assert_num_queries(1):
        client.get("/directions/?page=2")
    # A page's language is its URL's (/ru/...), never the browser's.
    with django_assert_num_queries(0):
        client.get("/directions/", HTTP_ACCEPT_LANGUAGE="ru")


def test_saving_and_deleting_show_at_once(client):
    direction = factories.direction(name="Before")
    assert client.get("/directions/").content == b"Before"
    direction.name = "After"
    direction.save()
    assert client.get("/directions/").content == b"After"
    direction.delete()
    assert client.get("/directions/").content == b"none"


def test_many_to_many_changes_end_the_version(client):
    direction = factories.direction()
    cluster = factories.cluster()
    client.get("/directions/")
    cluster.directions.add(direction)
    assert cache.get("inotomsk:pages:version") is None


def test_loaddata_ends_the_version(client):
    assert client.get("/directions/").content == b"none"
    call_command("loaddata", "seed", verbosity=0)
    assert "Science and education" in client.get("/directions/").content.decode()


def admin_form_data(page):
    """The POST data of an admin change form as it was rendered, inlines included."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form[name].html_name] = "on" if value is True else value
    return data


def test_a_change_saved_in_the_admin_shows_at_once(visitor, admin_client):
    direction = factories.direction(name="Space technologies")
    assert visitor.get("/directions/").content == b"Space technologies"

    url = f"/admin/portal/direction/{direction.pk}/change/"
    data = admin_form_data(admin_client.get(url))
    data["name"] = "Space and aviation"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert visitor.get("/directions/").content == b"Space and aviation"


def test_a_staff_bulk_update_shows_at_once(visitor, admin_client):
    factories.direction(name="Original")
    assert visitor.get("/directions/").content == b"Original"
    admin_client.post("/rename-all/")
    assert visitor.get("/directions/").content == b"Renamed in bulk"


def test_an_anonymous_post_does_not_end_the_version(client, django_assert_num_queries):
    factories.direction(name="Original")
    client.get("/directions/")
    client.post("/rename-all/")
    with django_assert_num_queries(0):
        assert client.get("/directions/").content == b"Original"


def test_logged_in_users_bypass_the_cache(visitor, admin_client, django_assert_num_queries):
    factories.direction(name="Energy")
    assert visitor.get("/directions/").content == b"Energy"
    with django_assert_num_queries(3):  # session, user, directions
        assert admin_client.get("/directions/").content == b"Hello boss. Energy"
    # Nothing personal was stored for anonymous visitors.
    assert visitor.get("/directions/").content == b"Energy"


def test_a_scheduled_article_appears_when_its_time_comes(client):
    now = timezone.now()
    factories.article(title="Out now", published_at=now - timedelta(hours=1))
    factories.article(title="Coming soon", published_at=now + timedelta(hours=1))
    assert client.get("/articles/").content == b"Out now"
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        assert client.get("/articles/").content == b"Coming soon, Out now"


@pytest.mark.parametrize("path", ["/healthz", "/with-form/", "/private/"])
def test_excluded_paths_and_personal_responses_are_not_cached(
    client, path, django_assert_num_queries
):
    client.get(path)
    client.cookies.clear()
    with django_assert_num_queries(1):
        assert client.get(path).status_code == 200


def test_conditional_get_answers_304_from_the_cache(client, django_assert_num_queries):
    factories.direction()
    etag = client.get("/directions/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/directions/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert not response.content


def test_head_requests_use_the_cache(client, django_assert_num_queries):
    client.get("/directions/")
    with django_assert_num_queries(0):
        assert client.head("/directions/").status_code == 200


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
    from public.caching import PAGE_PARAMETERS
    from public.listing.lists import (
        ArticleFilterSet,
        DocumentFilterSet,
        ParkFilterSet,
        ProjectFilterSet,
        RoadmapActionFilterSet,
        StakeholderFilterSet,
    )

    read = {"page", "format"}  # format: a list's download
    for filterset in (ArticleFilterSet, ProjectFilterSet, StakeholderFilterSet, ParkFilterSet):
        read |= set(filterset.base_filters)
    for filterset in (RoadmapActionFilterSet, DocumentFilterSet):
        read |= set(filterset.base_filters)
    assert read == PAGE_PARAMETERS


def test_end_content_version_command_shows_changes_made_outside_the_admin(client):
    factories.direction(name="Before")
    assert client.get("/directions/").content == b"Before"
    from portal.models import Direction

    Direction.objects.update(name="Changed by a script")  # no signal
    assert client.get("/directions/").content == b"Before"
    out = io.StringIO()
    call_command("end_content_version", stdout=out)
    assert "Ended the content version" in out.getvalue()
    assert client.get("/directions/").content == b"Changed by a script"


def test_every_cache_key_names_version_language_and_script_prefix():
    from django.urls import set_script_prefix
    from django.utils import translation

    from public.caching import cache_key, end_content_version

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
    from public import caching

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
