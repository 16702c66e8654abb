"""Links to /subscribe/ where visitors look for them, each preselecting its topic; the
preselection is checked against what exists."""

import re

import pytest
from django.core.cache import cache

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def checked(html, name):
    """The value of the checked radio button (or selected option) of a field."""
    radio = re.search(rf'<input type="radio" name="{name}" value="([^"]*)"[^>]*checked', html)
    if radio:
        return radio.group(1)
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    option = re.search(r'<option value="([^"]*)" selected', select)
    return option.group(1) if option else ""


def test_the_topic_is_preselected_from_the_query(client):
    cluster = factories.cluster()
    direction = factories.direction()
    html = client.get(f"/subscribe/?cluster={cluster.slug}").content.decode()
    assert checked(html, "topic") == "cluster" and checked(html, "cluster") == cluster.slug
    html = client.get(f"/ru/subscribe/?direction={direction.slug}").content.decode()
    assert checked(html, "topic") == "direction" and checked(html, "direction") == direction.slug
    html = client.get("/subscribe/?topic=events").content.decode()
    assert checked(html, "topic") == "events"


@pytest.mark.parametrize(
    "query", ["?topic=nonsense", "?cluster=no-such", "?direction=" + "x" * 300, "?cluster=%00"]
)
def test_an_unknown_preselection_falls_back_to_all_news(client, query):
    response = client.get(f"/subscribe/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert checked(html, "topic") == "all" and checked(html, "cluster") == ""


def test_the_footer_links_to_the_sign_up(client):
    for prefix in ("", "/ru"):
        html = client.get(f"{prefix}/").content.decode()
        footer = html[html.index("<footer") :]
        assert f'href="{prefix}/subscribe/"' in footer


def test_lists_and_pages_link_to_the_sign_up_with_their_topic(client):
    cluster = factories.cluster()
    direction = factories.direction()
    article = factories.article()
    article.clusters.add(cluster)
    article.directions.add(direction)
    factories.event()
    news = client.get(f"/news/?cluster={cluster.slug}").content.decode()
    assert f'href="/subscribe/?cluster={cluster.slug}"' in news
    news = client.get(f"/ru/news/?direction={direction.slug}").content.decode()
    assert f'href="/ru/subscribe/?direction={direction.slug}"' in news
    assert 'href="/subscribe/"' in client.get("/news/").content.decode()
    # A text search has no topic: its sign-up link must not carry the words searched for.
    searched = client.get(f"/news/?q={article.title.split()[0]}").content.decode()
    feed_links = re.search(r'<p class="feed-link">.*?</p>', searched, re.S).group(0)
    assert re.findall(r'href="(/subscribe/[^"]*)"', feed_links) == ["/subscribe/"]
    events = client.get("/events/").content.decode()
    assert 'href="/subscribe/?topic=events"' in events
    page = client.get(cluster.get_absolute_url()).content.decode()
    assert f'href="/subscribe/?cluster={cluster.slug}"' in page
    about = client.get("/about/").content.decode()
    assert f'href="/subscribe/?direction={direction.slug}"' in about
