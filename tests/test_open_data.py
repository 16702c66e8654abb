"""The open data page: a passport per data set, in both languages, flat in queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.html import escape

from public.opendata.registry import datasets

from . import factories

pytestmark = pytest.mark.django_db


def passport(page, identifier):
    """The HTML of one data set's section."""
    match = re.search(rf'<section[^>]*id="{identifier}".*?</section>', page, re.S)
    assert match, identifier
    return match.group(0)


def test_each_data_set_has_its_passport(client, settings):
    settings.OPEN_DATA_LICENCE = {
        "code": "CC-BY-4.0",
        "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    factories.project(name="Old project")
    newest = factories.project(name="Newest project")
    later = timezone.now() + timedelta(days=3)
    type(newest).objects.filter(pk=newest.pk).update(updated_at=later)
    factories.project(name="Draft changed later", is_published=False)

    response = client.get("/open-data/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'rel="license"' in page and "CC BY 4.0" in page
    for dataset in datasets():
        section = passport(page, f"inotomsk-{dataset.identifier}")
        assert escape(str(dataset.title)) in section
        assert escape(str(dataset.description)) in section
        assert f'href="{dataset.list_url()}?format=csv"' in section
        assert f'href="{dataset.list_url()}?format=json"' in section
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in section
            assert escape(str(column.description)) in section
        try:
            served = bool(resolve(dataset.api_path).url_name)
        except Resolver404:
            served = False
        assert (f'href="{dataset.api_path}"' in section) is served
    # The API serves the news; an address it does not serve is never linked.
    assert 'href="/api/v1/articles/"' in passport(page, "inotomsk-news")
    projects = passport(page, "inotomsk-projects")
    # The update time is the newest change of a published entry of the data set.
    local = timezone.localtime(later)
    assert f'datetime="{local.isoformat(timespec="seconds")}' in projects
    assert "No published entries yet" in passport(page, "inotomsk-parks")


def test_the_page_in_russian_with_russian_links(client):
    page = client.get("/ru/open-data/").content.decode()
    assert '<html lang="ru"' in page
    assert "Открытые данные" in page
    assert 'href="/ru/projects/?format=csv"' in page


def test_linked_from_the_footer_and_listed_in_the_sitemap(client):
    assert 'href="/open-data/"' in client.get("/").content.decode()
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert "http://testserver/open-data/" in sitemap
    assert "http://testserver/ru/open-data/" in sitemap


def test_query_count_is_flat(client):
    from .test_queries import build

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/open-data/").status_code == 200
        return len(queries)

    build(2, "a")
    few = count()
    build(20, "b")
    from django.core.cache import cache

    cache.clear()  # counted cold again
    assert count() == few <= 12
