"""English at the root, Russian under /ru/: switcher, alternates, sitemap and feeds."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
PAGES = ["/", "/about/", "/news/", "/projects/", "/clusters/", "/stakeholders/", "/parks/"]
PAGES += ["/search/?q=Tomsk", "/news/?cluster=pharmaceutics-medical-equipment-and-it"]
XHTML = "{http://www.w3.org/1999/xhtml}"


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_in_both_languages_with_alternates(seeded, client, path):
    english = client.get(path)
    russian = client.get("/ru" + path)
    assert english.status_code == russian.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="ru">' in russian.content.decode()
    for response in (english, russian):
        links = alternates(response.content.decode())
        assert links == {
            "en": f"http://testserver{path}",
            "ru": f"http://testserver/ru{path}",
            "x-default": f"http://testserver{path}",
        }


def test_an_article_and_its_feed_in_russian(seeded, client):
    article = client.get("/news/").context["rows"][0]
    page = client.get("/ru" + article.get_absolute_url())
    assert page.status_code == 200 and article.title in page.content.decode()
    for url, language in (("/news/feed/rss/", "en"), ("/ru/news/feed/rss/", "ru")):
        channel = ET.fromstring(client.get(url).content).find("channel")
        assert channel.findtext("language") == language
        assert channel.findtext("link").startswith(
            "http://testserver/ru/news/" if language == "ru" else "http://testserver/news/"
        )
    atom = client.get("/ru/news/feed/atom/")
    assert atom.status_code == 200 and b'xml:lang="ru"' in atom.content


def test_the_root_never_follows_the_browser_language(seeded, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert client.get("/news/", HTTP_ACCEPT_LANGUAGE="ru").status_code == 200


def test_unknown_language_prefixes_are_not_found(seeded, client):
    for path in ("/de/news/", "/fr/", "/en/news/", "/language/de/?next=/"):
        assert client.get(path).status_code == 404, path


def test_the_switcher_leads_to_the_same_page_and_remembers_the_choice(seeded):
    visitor = Client()
    page = visitor.get("/news/?cluster=timber&page=1").content.decode()
    switch = re.search(r'<a href="(/language/ru/\?next=[^"]+)"', page).group(1)
    response = visitor.get(switch.replace("&amp;", "&"))
    assert response.status_code == 302
    assert response["Location"] == "/ru/news/?cluster=timber&page=1"
    assert visitor.cookies["django_language"].value == "ru"
    # The remembered choice: the root leads to the Russian home; other URLs keep theirs.
    assert visitor.get("/")["Location"] == "/ru/"
    assert visitor.get("/news/").status_code == 200
    back = re.search(r'<a href="(/language/en/\?next=[^"]+)"', visitor.get("/ru/").content.decode())
    assert visitor.get(back.group(1))["Location"] == "/"
    assert visitor.get("/").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_the_switcher_never_leaves_the_site(db, client, target):
    response = client.get("/language/ru/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_sitemap_lists_both_languages_with_alternates(seeded, client):
    root = ET.fromstring(client.get("/sitemap-news.xml").content)
    urls = root.findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")
    locations = [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in urls]
    assert len(locations) == 10  # five articles, two languages
    assert sum("/ru/news/" in loc for loc in locations) == 5
    for url in urls:
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert set(links) == {"en", "ru", "x-default"}
        assert links["ru"] == links["en"].replace("testserver/", "testserver/ru/", 1)
    assert client.get("/ru/sitemap.xml").status_code == 404  # one sitemap for both


@pytest.mark.parametrize(
    "header",
    ["", "xx-ZZ", "*", "ru;q=abc", "ru-RU,ru;q=0.9,en-US;q=0.8", "\u00ff\u00fe", "a" * 500],
)
def test_garbage_accept_language_changes_nothing(seeded, client, header):
    for path in ("/", "/news/", "/ru/news/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=header)
        assert response.status_code == 200, (path, header)
        expected = "ru" if path.startswith("/ru/") else "en"
        assert f'<html lang="{expected}">' in response.content.decode()


def test_switching_on_a_missing_page_gives_a_404_in_the_other_language(seeded, client):
    missing = client.get("/news/no-such-article/")
    assert missing.status_code == 404
    switch = re.search(r'<a href="(/language/ru/\?next=[^"]+)"', missing.content.decode())
    response = client.get(switch.group(1).replace("&amp;", "&"))
    assert response.status_code == 302
    target = client.get(response["Location"])
    assert target.status_code == 404 and '<html lang="ru">' in target.content.decode()
