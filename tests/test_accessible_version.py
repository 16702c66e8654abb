"""The version for visually impaired visitors (public/accessible.py): a switch on every page,
a cookie set by links, classes on <html> rendered by the server, and the page-cache key."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from public.accessible import COOKIE_NAME, Mode
from public.caching import PageCacheMiddleware, cache_key

from . import factories

pytestmark = pytest.mark.django_db

HTML_TAG = re.compile(r"<html[^>]*>")


@pytest.fixture
def article():
    return factories.article(title="Forum of university cities", body="Text of the forum.")


def html_tag(response):
    return HTML_TAG.search(response.content.decode()).group(0)


def switch_on(client, next_path="/", **settings):
    response = client.get("/accessible/", {"version": "accessible", **settings, "next": next_path})
    assert response.status_code == 302
    return response


def test_every_page_links_to_the_accessible_version_in_its_language(client, article):
    for path, label in [("/", "Accessible version"), ("/ru/news/", "Версия для слабовидящих")]:
        response = client.get(path)
        body = response.content.decode()
        assert html_tag(response) in ('<html lang="en">', '<html lang="ru">')
        assert "css/a11y.css" not in body
        link = f'href="/accessible/?version=accessible&amp;next={path.replace("/", "%2F")}"'
        assert link in body
        assert label in body
    # The switch is links, not a form: the page sets no CSRF cookie and stays cacheable.
    assert "csrftoken" not in client.get("/news/").cookies


def test_switching_on_sets_the_cookie_and_goes_back(client, article):
    response = switch_on(client, article.get_absolute_url())
    assert response["Location"] == article.get_absolute_url()
    assert response["Cache-Control"] == "no-store"
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.value == "1.white.on.normal"
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] > 0
    page = client.get(article.get_absolute_url())
    assert html_tag(page) == '<html lang="en" class="a11y a11y-size-1 a11y-scheme-white">'
    body = page.content.decode()
    assert "css/a11y.css" in body
    assert "Text of the forum." in body
    assert "Standard version" in body
    # The current choice of each setting is marked, the others are links.
    assert '<span class="a11y-choice a11y-choice-white" aria-current="true">Black on white' in body
    assert 'href="/accessible/?scheme=black&amp;next=%2Fnews%2F' in body


@pytest.mark.parametrize(
    "params, value, classes",
    [
        ({"size": "2"}, "2.white.on.normal", "a11y a11y-size-2 a11y-scheme-white"),
        ({"size": "3"}, "3.white.on.normal", "a11y a11y-size-3 a11y-scheme-white"),
        ({"scheme": "black"}, "1.black.on.normal", "a11y a11y-size-1 a11y-scheme-black"),
        ({"scheme": "blue"}, "1.blue.on.normal", "a11y a11y-size-1 a11y-scheme-blue"),
        ({"images": "off"}, "1.white.off.normal", "a11y-images-off"),
        ({"spacing": "wide"}, "1.white.on.wide", "a11y-spacing-wide"),
        # Several at once, and unknown values ignored.
        ({"size": "3", "scheme": "blue", "images": "x"}, "3.blue.on.normal", "a11y-scheme-blue"),
        ({"size": "9", "scheme": "pink"}, "1.white.on.normal", "a11y-size-1"),
    ],
)
def test_each_setting_is_kept_and_rendered(client, params, value, classes):
    switch_on(client)
    response = client.get("/accessible/", {**params, "next": "/about/"})
    assert response["Location"] == "/about/"
    assert client.cookies[COOKIE_NAME].value == value
    assert classes in html_tag(client.get("/about/"))


def test_a_setting_alone_turns_the_version_on(client):
    client.get("/accessible/", {"scheme": "black", "next": "/"})
    assert client.cookies[COOKIE_NAME].value == "1.black.on.normal"


def test_the_standard_version_forgets_the_cookie(client):
    switch_on(client, scheme="black")
    response = client.get("/accessible/", {"version": "standard", "next": "/ru/"})
    assert response["Location"] == "/ru/"
    assert response.cookies[COOKIE_NAME]["max-age"] == 0
    assert html_tag(client.get("/ru/")) == '<html lang="ru">'


@pytest.mark.parametrize(
    "target",
    [
        "https://attacker.example/",
        "//attacker.example/",
        "/\\attacker.example",
        "javascript:alert(1)",
        "news/",
        "",
        "/news/\n",
        "/%00",
    ],
)
def test_next_must_be_a_page_of_this_site(client, target):
    response = client.get("/accessible/", {"version": "accessible", "next": target})
    assert response.status_code == 302
    assert response["Location"] == ("/%00" if target == "/%00" else "/")


def test_only_get_and_head_set_it(client):
    assert client.post("/accessible/", {"version": "accessible"}).status_code == 405
    assert client.head("/accessible/?version=accessible").status_code == 302


@pytest.mark.parametrize(
    "value", ["", "on", "1.white.on", "4.white.on.normal", "1.pink.on.normal", "1.white.on.wide.x"]
)
def test_unknown_cookie_values_are_the_standard_version(client, value):
    client.cookies[COOKIE_NAME] = value
    response = client.get("/about/")
    assert response.status_code == 200
    assert html_tag(response) == '<html lang="en">'
    assert Mode.from_value(value) == Mode()


def test_the_mode_reads_back_what_it_writes():
    for value in ("1.white.on.normal", "3.blue.off.wide", "2.black.on.wide"):
        mode = Mode.from_value(value)
        assert mode.on and mode.value == value
        assert mode.cache_part == (f"a11y={value}",)
    assert Mode().cache_part == () and Mode().value == "" and Mode().html_class == ""


def test_the_accessible_version_costs_no_query(client, article, no_page_cache):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for cookie in ("", "3.black.off.wide"):
        client.cookies[COOKIE_NAME] = cookie
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


class TestPageCache:
    @pytest.fixture(autouse=True)
    def page_cache(self, settings):
        settings.PAGE_CACHE_SECONDS = 600
        cache.clear()

    def test_the_standard_version_keeps_todays_key(self, rf):
        request = rf.get("/news/?page=2&utm_source=x")
        known = [("page", "2")]
        assert PageCacheMiddleware._page_key(request) == cache_key(
            "page", "http", "testserver", "/news/", known
        )
        request.COOKIES[COOKIE_NAME] = "no.such.mode.here"
        assert PageCacheMiddleware._page_key(request) == cache_key(
            "page", "http", "testserver", "/news/", known
        )
        request.COOKIES[COOKIE_NAME] = "2.blue.on.normal"
        assert PageCacheMiddleware._page_key(request) != cache_key(
            "page", "http", "testserver", "/news/", known
        )

    def test_each_mode_is_kept_apart(self, article, django_assert_num_queries):
        url = article.get_absolute_url()
        standard = Client().get(url)
        assert html_tag(standard) == '<html lang="en">'
        # An unknown value is served the standard page, from the cache.
        odd = Client()
        odd.cookies[COOKIE_NAME] = "x"
        with django_assert_num_queries(0):
            assert odd.get(url).content == standard.content
        black = Client()
        black.cookies[COOKIE_NAME] = "3.black.off.wide"
        first = black.get(url)
        assert "a11y-scheme-black" in html_tag(first)
        with django_assert_num_queries(0):
            again = black.get(url)
        assert again.content == first.content
        blue = Client()
        blue.cookies[COOKIE_NAME] = "3.blue.off.wide"
        assert "a11y-scheme-blue" in html_tag(blue.get(url))
        with django_assert_num_queries(0):
            assert Client().get(url).content == standard.content

    def test_a_content_change_shows_in_every_mode(self, article):
        black = Client()
        black.cookies[COOKIE_NAME] = "1.black.on.normal"
        url = article.get_absolute_url()
        assert "Forum of university cities" in black.get(url).content.decode()
        article.title = "Renamed forum"
        article.save()
        assert "Renamed forum" in black.get(url).content.decode()
