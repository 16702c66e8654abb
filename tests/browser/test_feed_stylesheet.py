"""The news feeds open in Chromium as a styled page (static/feeds/feed.xsl), with their static
files served as in production: by WhiteNoise, behind SecurityMiddleware's nosniff.

The live_server fixture serves static files with Django's own view, which takes the type from
the machine's MIME table; WhiteNoise has a table of its own, where .xsl was missing, so the
stylesheet went out as application/octet-stream with nosniff, which Firefox refuses to apply
(this Chromium applies it all the same, so the test checks the type it is served with too)."""

import pytest
from pytest_django.live_server_helper import LiveServer

from .. import factories


@pytest.fixture
def whitenoise_server(transactional_db, settings):
    """The site on a live server whose every request, /static/ too, goes through the
    middleware (WhiteNoise first, reading static/ through the finders: no collectstatic)."""
    settings.WHITENOISE_USE_FINDERS = True
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda handler: handler  # no static view in front
    server._live_server_modified_settings.enable()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        server._live_server_modified_settings.disable()


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/news/feed/rss/", "How to subscribe"), ("/ru/news/feed/atom/", "Как подписаться")],
)
def test_a_feed_opens_styled_in_chromium(browser, whitenoise_server, path, heading):
    factories.article(slug="launch", title="The launch", title_ru="Запуск")
    context = browser.new_context()
    page = context.new_page()
    stylesheets = []
    page.on(
        "response",
        lambda response: stylesheets.append(response) if response.url.endswith(".xsl") else None,
    )
    try:
        response = page.goto(whitenoise_server.url + path)
        assert response.status == 200
        page.wait_for_load_state("load")
        # What only the XSLT makes: the page's headings, the site's header, the article list.
        assert page.locator("h2#howto").inner_text() == heading
        assert page.locator("header.site-header .brand").count() == 1
        assert page.locator("ul.feed-items li h3 a").first.inner_text() in ("The launch", "Запуск")
        (stylesheet,) = stylesheets
        assert stylesheet.headers["content-type"].startswith("application/xslt+xml")
        assert stylesheet.headers["x-content-type-options"] == "nosniff"
    finally:
        context.close()
