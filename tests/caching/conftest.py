"""The page cache switched on for every test here, and an anonymous visitor's browser."""

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()


@pytest.fixture
def visitor():
    """An anonymous browser, separate from the staff member's."""
    return Client()
