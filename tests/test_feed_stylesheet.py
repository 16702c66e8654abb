"""The feeds' XSLT (static/feeds/feed.xsl) is served as XML, so that browsers apply it under
nosniff: by WhiteNoise in production, and by Django's static view in development.
tests/browser/test_feed_stylesheet.py opens a feed in Chromium."""

import mimetypes

from django.test import Client


def test_whitenoise_serves_the_feed_stylesheet_as_xml(db, settings):
    settings.WHITENOISE_USE_FINDERS = True  # static/ as it is, no collectstatic
    response = Client().get("/static/feeds/feed.xsl")  # a new client: WhiteNoise set up anew
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xslt+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    feed = Client().get("/news/feed/rss/")
    assert b'<?xml-stylesheet type="text/xsl" href="/static/feeds/feed.xsl"?>' in feed.content


def test_django_serves_it_as_xml_whatever_the_system_table():
    assert mimetypes.guess_type("feeds/feed.xsl")[0] == "application/xslt+xml"
