"""Feeds (parsed as XML), sitemap and conditional requests."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.utils import timezone

from news.models import Article

from . import factories

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PHARMA = "pharmaceutics-medical-equipment-and-it"


def rss_items(client, query=""):
    response = client.get(f"/news/feed/rss/{query}")
    assert response.status_code == 200
    # Served as XML that browsers show through our stylesheet (public/feeds.py).
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel"), root.find("channel").findall("item")


def test_rss_has_the_newest_articles_with_full_dates(seeded, client):
    channel, items = rss_items(client)
    assert len(items) == 5
    first = items[0]
    assert first.findtext("title") == (
        "Ministry of Economic Development of Russia has discussed the implementation of "
        "INO Tomsk Concept"
    )
    assert "/news/ministry-of-economic-development" in first.findtext("link")
    published = parsedate_to_datetime(first.findtext("pubDate"))
    assert published == Article.objects.get(slug__startswith="ministry-of").published_at
    assert published.utcoffset() == timedelta(hours=7)
    assert first.findtext("description")


def test_rss_accepts_news_filters(seeded, client):
    channel, items = rss_items(client, f"?cluster={PHARMA}")
    assert len(items) == 2
    assert "Pharmaceutical" in channel.findtext("title")
    _, items = rss_items(client, "?year=2017")
    assert len(items) == 2


def test_feed_limits_to_twenty_newest_published(db, client):
    for n in range(25):
        factories.article(published_at=timezone.now() - timedelta(days=n), slug=f"a-{n}")
    factories.article(status=Article.Status.DRAFT, slug="draft-one")
    factories.article(published_at=timezone.now() + timedelta(days=1), slug="future-one")
    _, items = rss_items(client)
    links = [item.findtext("link") for item in items]
    assert len(items) == 20
    assert links[0].endswith("/news/a-0/") and links[-1].endswith("/news/a-19/")
    assert not any("draft-one" in link or "future-one" in link for link in links)


def test_atom_feed(seeded, client):
    response = client.get(f"/news/feed/atom/?cluster={PHARMA}")
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert entries[0].findtext(f"{ATOM}published").startswith("2016-10-06T11:26:00+07:00")
    assert entries[0].findtext(f"{ATOM}updated")


@pytest.mark.parametrize("query", ["?cluster=unknown", "?year=abc", "?project=a-draft"])
def test_a_bad_feed_filter_is_refused_as_on_the_list_never_all_news(seeded, client, query):
    factories.project(slug="a-draft", is_published=False)
    for url in ("/news/feed/rss/", "/news/feed/atom/", "/news/"):
        response = client.get(url + query)
        assert response.status_code == 400, url
        assert b"<rss" not in response.content and b"<feed" not in response.content


def test_sitemap_index_and_sections(seeded, client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert any(s.endswith("/sitemap-news.xml") for s in sections)
    urls = {}
    for section in sections:
        path = section.replace("http://testserver", "")
        root = ET.fromstring(client.get(path).content)
        for url in root.findall(f"{SITEMAP}url"):
            urls[url.findtext(f"{SITEMAP}loc")] = url.findtext(f"{SITEMAP}lastmod")
    assert "http://testserver/news/ii-forum-of-university-cities-to-take-place-in-tomsk/" in urls
    assert "http://testserver/projects/national-research-medical-center/" in urls
    assert f"http://testserver/clusters/{PHARMA}/" in urls
    assert "http://testserver/stakeholders/masaryk-university/" in urls
    assert "http://testserver/about/" in urls
    news = "http://testserver/news/"
    article_lastmods = [v for k, v in urls.items() if k.startswith(news) and k != news]
    assert len(article_lastmods) == 5 and all(article_lastmods)


def test_feed_and_sitemap_answer_conditional_requests(seeded, client):
    for url in ("/news/feed/rss/", "/sitemap.xml", "/sitemap-news.xml"):
        first = client.get(url)
        assert first.has_header("ETag") or first.has_header("Last-Modified"), url
        if first.has_header("ETag"):
            again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        else:
            again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert again.status_code == 304, url


@pytest.mark.parametrize("url", ["/news/feed/rss/", "/news/feed/atom/"])
def test_feeds_are_sent_in_one_piece(seeded, client, url):
    # Sent in hundreds of small writes, a feed waited on TCP for every one of them.
    response = client.get(url)
    assert response.status_code == 200
    assert len(list(response)) == 1


def test_no_hostile_markup_survives_in_any_feed(db, client):
    """Readers take RSS descriptions and Atom summaries (and some, titles) for HTML."""
    from .test_richtext import HOSTILE, assert_safe

    payloads = [param.values[0] for param in HOSTILE]
    for n, payload in enumerate(payloads):
        factories.article(
            title=f"T{n} {payload}", lead=f"Lead {payload} end", body=f"Body {payload}"
        )
        factories.article(title=f"U{n}", lead="", body=f"{payload}\n\nSecond")
    texts = []
    for query in ("", "?page=2"):  # 20 per feed: both kinds of item
        for url, path in (
            ("/news/feed/rss/", ["channel/item/title", "channel/item/description"]),
            ("/news/feed/atom/", [f"{ATOM}entry/{ATOM}title", f"{ATOM}entry/{ATOM}summary"]),
        ):
            root = ET.fromstring(client.get(url + query).content)
            for name in path:
                texts += [element.text or "" for element in root.findall(name)]
    assert len(texts) >= 80
    for text in texts:
        # What a reader gets after XML decoding, read as HTML: no element at all.
        assert_safe(text)
        assert "<" not in text.replace("&lt;", ""), text
        lowered = text.lower()
        assert "javascript:" not in lowered or "<" not in text, text


def test_last_modified_never_goes_back_when_an_item_is_unpublished(db, client):
    older = factories.article(title="Older")
    newest = factories.article(title="Newest, retracted later")
    Article.objects.filter(pk=newest.pk).update(updated_at=timezone.now() + timedelta(minutes=5))
    for url in ("/news/feed/rss/", "/news/feed/atom/"):
        before = parsedate_to_datetime(client.get(url)["Last-Modified"])
        newest.refresh_from_db()
        newest.status = Article.Status.DRAFT
        newest.save()
        after = client.get(url)
        assert b"Newest, retracted later" not in after.content
        assert parsedate_to_datetime(after["Last-Modified"]) >= before
        # A reader asking "changed since before?" gets the new feed, not a 304.
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=after["Last-Modified"])
        assert since.status_code == 304
        newest.status = Article.Status.PUBLISHED
        newest.save()
    assert older.title.encode() in client.get("/news/feed/rss/").content
