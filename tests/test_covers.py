"""Generated covers and social cards (public/covers.py), Open Graph tags, share links, and the
feeds as pages a browser shows (stylesheet, pictures)."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.templatetags.static import static
from PIL import Image

from clusters.models import Cluster
from news.models import Article
from portal.models import Direction, Project
from public import covers

from .browser.conftest import picture

pytestmark = pytest.mark.django_db
ARTICLE = "the-translational-medicine-development-project-of-the-tomsk-region-named-the"
PROJECT = "national-research-medical-center"
CLUSTER = "pharmaceutics-medical-equipment-and-it"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def og(html, name):
    match = re.search(rf'<meta (?:property|name)="{name}" content="([^"]*)"', html)
    return match and match.group(1)


def test_colours_follow_clusters_and_directions(seeded):
    cluster = Cluster.objects.get(slug=CLUSTER)
    assert covers.colour_of(cluster) == covers.CLUSTER_COLOURS[cluster.order - 1]
    Project.objects.filter(slug=PROJECT).update(direction=Direction.objects.get(order=3))
    project = Project.objects.select_related("direction").get(slug=PROJECT)
    assert covers.colour_of(project) == covers.DIRECTION_COLOURS[project.direction.order - 1]
    article = Article.objects.prefetch_related("clusters").get(slug=ARTICLE)
    first = list(article.clusters.all())[0]
    assert covers.colour_of(article) == covers.CLUSTER_COLOURS[first.order - 1]
    # Nothing loaded: a colour of the palette, by slug, without a query.
    bare = Article.objects.only("slug").get(slug=ARTICLE)
    assert covers.colour_of(bare) in covers.PALETTE


def test_card_without_picture_gets_a_cover_of_the_same_shape(seeded, client, media):
    html = client.get("/projects/").content.decode()
    cards = re.findall(r'<article class="card project-card">(.*?)</article>', html, re.S)
    assert cards
    for card in cards:
        media_box = re.search(r'<div class="card-media">(.*?)</div>', card, re.S).group(1)
        assert media_box.startswith('<svg class="card-cover" viewBox="0 0 400 225"')
        assert 'aria-hidden="true"' in media_box and "<image" not in media_box
    # With a picture, the picture takes the same place.
    project = Project.objects.get(slug=PROJECT)
    project.image = ContentFile(picture(), name="p.jpg")
    project.image_alt = "A picture"
    project.save()
    html = client.get("/projects/").content.decode()
    assert re.search(r'<div class="card-media"><img [^>]*class="card-image"', html)


def test_social_card_is_drawn_once_and_again_only_when_its_title_changes(seeded, client, media):
    url = f"/news/{ARTICLE}/"
    image = og(client.get(url).content.decode(), "og:image")
    assert image and image.startswith("http://testserver/media/social/article/")
    assert og(client.get(url).content.decode(), "twitter:image") == image
    stored = media / image.split("/media/", 1)[1]
    with Image.open(stored) as card:
        assert card.size == (1200, 630) and card.format == "PNG"
    drawn_at = stored.stat().st_mtime_ns
    # Kept: the next render points at the same file, which is not drawn again.
    from django.core.cache import cache

    cache.clear()
    assert og(client.get(url).content.decode(), "og:image") == image
    assert stored.stat().st_mtime_ns == drawn_at
    # A new title, a new card; the Russian page has its own (its label is Russian).
    article = Article.objects.get(slug=ARTICLE)
    article.title_en = "A new title for the card"
    article.save()
    renamed = og(client.get(url).content.decode(), "og:image")
    assert renamed != image and (media / renamed.split("/media/", 1)[1]).exists()
    russian = og(client.get(f"/ru/news/{ARTICLE}/").content.decode(), "og:image")
    assert russian not in (image, renamed)


def test_every_detail_page_has_an_image_and_share_links(seeded, client, media):
    cluster = Cluster.objects.get(slug=CLUSTER)
    cluster.image = ContentFile(picture(), name="c.jpg")
    cluster.save()
    for url in (f"/news/{ARTICLE}/", f"/projects/{PROJECT}/", f"/clusters/{CLUSTER}/"):
        html = client.get(url).content.decode()
        image = og(html, "og:image")
        assert image and image.startswith("http://testserver/media/"), url
        assert og(html, "twitter:card") == "summary_large_image"
        share = re.search(r'<section class="share".*?</section>', html, re.S).group(0)
        links = re.findall(r'href="([^"]+)"', share)
        assert [urlsplit(link).scheme + ":" + urlsplit(link).netloc for link in links] == [
            "mailto:",
            "https:t.me",
            "https:vk.com",
        ]
        assert all("testserver" in link for link in links)
        assert "<script" not in share
    # The cluster's own picture, not a card.
    assert "/media/social/" not in og(
        client.get(f"/clusters/{CLUSTER}/").content.decode(), "og:image"
    )
    # Pages showing no one object share the site's card; lists have no share links.
    html = client.get("/news/").content.decode()
    assert "/media/social/site/" in og(html, "og:image")
    assert 'class="share"' not in html


def test_feeds_are_readable_in_a_browser_and_carry_pictures(seeded, client, media):
    article = Article.objects.get(slug=ARTICLE)
    article.image = ContentFile(picture(), name="a.jpg")
    article.save()
    stylesheet = f'<?xml-stylesheet type="text/xsl" href="{static("feeds/feed.xsl")}"?>'
    rss = client.get("/news/feed/rss/").content.decode()
    assert rss.startswith('<?xml version="1.0" encoding="utf-8"?>' + stylesheet)
    item = next(
        item
        for item in ET.fromstring(rss).find("channel").findall("item")
        if ARTICLE in item.findtext("link")
    )
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == "http://testserver" + article.image.url
    assert enclosure.get("type") == "image/jpeg"
    atom = client.get("/news/feed/atom/").content.decode()
    assert stylesheet in atom
    entry = next(
        entry
        for entry in ET.fromstring(atom).findall("{http://www.w3.org/2005/Atom}entry")
        if entry.findtext("{http://www.w3.org/2005/Atom}id") == f"article-{article.pk}"
    )
    links = entry.findall("{http://www.w3.org/2005/Atom}link[@rel='enclosure']")
    assert [link.get("href") for link in links] == ["http://testserver" + article.image.url]
    # The stylesheet says how to subscribe, in both languages.
    xsl = (Path(__file__).parents[1] / "static" / "feeds" / "feed.xsl").read_text()
    ET.fromstring(xsl)
    assert "How to subscribe" in xsl and "Как подписаться" in xsl
