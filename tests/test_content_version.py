"""Changes made outside the admin and outside any request show on the next page, with the
local-memory cache (public/caching.py, public/version_stamp.py): saves, deletes and links
changed through the ORM end the content version by themselves (signals), in the process that
made them and, through the stamp file, in every other process of the host."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection

from news.models import Article
from public import caching

from . import factories
from .manage_process import environment_for_manage

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def page_cache(settings):
    """Pages kept for ten minutes in the local-memory cache, as without Redis."""
    settings.PAGE_CACHE_SECONDS = 600
    assert isinstance(caches["default"], LocMemCache)


def news(client, path="/news/"):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_saves_deletes_and_links_from_code_show_on_the_next_page(client, page_cache, db):
    article = factories.article(slug="launch", title="Launch of the park")
    cluster = factories.cluster(slug="smart-city")
    assert "Launch of the park" in news(client)
    assert "Launch of the park" not in news(client, "/news/?cluster=smart-city")

    article.title = "The park opens"  # a save in code: no request, no admin
    article.save()
    assert "The park opens" in news(client)

    article.clusters.add(cluster)  # a link: m2m_changed
    assert "The park opens" in news(client, "/news/?cluster=smart-city")

    Article.objects.filter(pk=article.pk).delete()  # a queryset's delete sends signals too
    assert "The park opens" not in news(client)


def test_a_change_in_another_process_shows_on_the_next_page(
    client, page_cache, transactional_db, settings, tmp_path
):
    """Another process (a shell, a command) has a cache of its own: its save ends the version
    there and writes the stamp, which this process reads on its next request."""
    settings.CONTENT_VERSION_FILE = tmp_path / "content-version"
    article = factories.article(slug="launch", title="Launch of the park")
    assert "Launch of the park" in news(client)  # kept in this process's cache

    other_process_cache = LocMemCache("another-process", {})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(caching, "cache", other_process_cache)
        article.title = "The park opens"
        article.save()
    assert "The park opens" in news(client)

    # Without the stamp (the old behaviour), the kept page stayed for ten minutes.
    settings.CONTENT_VERSION_FILE = ""
    news(client)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(caching, "cache", other_process_cache)
        article.title = "Changed unseen"
        article.save()
    assert "Changed unseen" not in news(client)


def test_changes_that_send_no_signal_need_end_content_version(client, page_cache, db):
    """QuerySet.update() (and bulk_create, raw SQL) sends no signal: the command ends it."""
    from django.core.management import call_command

    factories.article(slug="launch", title="Launch of the park")
    assert "Launch of the park" in news(client)
    Article.objects.filter(slug="launch").update(title_en="The park opens")
    assert "The park opens" not in news(client)
    call_command("end_content_version", verbosity=0)
    assert "The park opens" in news(client)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="another process can reach the test database on PostgreSQL only (SQLite's is in memory)",
)
def test_a_save_in_a_manage_py_shell_shows_in_the_server_process(
    client, page_cache, transactional_db, settings
):
    """The real thing: ``manage.py shell`` in its own process, its own local-memory cache and
    the default stamp file (named after the database), against this test's database."""
    settings.CONTENT_VERSION_FILE = None  # the default: named after the database
    factories.article(slug="launch", title="Launch of the park")
    assert "Launch of the park" in news(client)
    env = environment_for_manage(drop=("REDIS_", "DJANGO_SETTINGS"))
    code = (
        "from news.models import Article; a = Article.objects.get(slug='launch'); "
        "a.title_en = 'The park opens'; a.save()"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert "The park opens" in news(client)
