"""The API's documentation page (Swagger UI, served by us) in Chromium: it renders the
operations from the schema and the site's Content Security Policy holds (no violation is
reported, nothing is loaded from another host), and its "Try it out" calls the API."""

from urllib.parse import urlsplit

import pytest

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_docs_page_renders_under_the_csp(open_tab, live_server):
    factories.article(slug="first-news", title="First news")
    tab = open_tab()
    violations, hosts = [], set()
    tab.page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    tab.page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    response = tab.goto("/api/v1/docs/")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["content-security-policy"].split(";")
        if " " in directive.strip()
    )
    # The site's policy, with data: images (Swagger UI's icons) on this page alone.
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert set(policy["img-src"].split()) == {"'self'", "data:"}
    page = tab.page
    # The operations, read from /api/v1/schema/.
    page.wait_for_selector("#operations-articles-articles_list", timeout=20_000)
    assert page.locator(".opblock-tag-section").count() >= 8
    # Open the article list and run it from the page.
    page.click("#operations-articles-articles_list .opblock-summary")
    page.click("#operations-articles-articles_list .try-out__btn")
    page.click("#operations-articles-articles_list .execute")
    page.wait_for_selector("#operations-articles-articles_list .live-responses-table")
    body = page.locator("#operations-articles-articles_list .response-col_description pre").first
    assert "first-news" in body.inner_text()
    assert violations == []
    assert hosts == {urlsplit(live_server.url).netloc}
    assert tab.problems == []
