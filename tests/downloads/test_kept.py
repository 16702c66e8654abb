"""Kept downloads (public/kept_downloads.py): built once, then served from their file;
old ones deleted; a limit per client."""

import os
import time
from unittest import mock

import pytest
from django.db import connection
from django.http import FileResponse

from public import downloads, kept_downloads
from public.caching import current_version

from .. import factories

pytestmark = pytest.mark.django_db


# Kept downloads and the limit per client (public/kept_downloads.py)


@pytest.fixture
def keeping(settings, tmp_path):
    """Downloads kept as they are in production: the page cache on, files in a temp folder."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.DOWNLOAD_CACHE_DIR = tmp_path / "downloads"
    return settings.DOWNLOAD_CACHE_DIR


def kept_files(folder):
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def raw(response):
    assert response.streaming
    return b"".join(response.streaming_content)


def test_a_download_is_built_once_then_served_from_its_file(
    client, keeping, django_assert_num_queries
):

    for n in range(3):
        factories.park(name=f"Park {n}")
    first = client.get("/parks/", {"format": "csv"})
    assert not isinstance(first, FileResponse)  # built, streamed as its rows are read
    built = raw(first)
    assert len(kept_files(keeping)) == 1
    with django_assert_num_queries(0):
        again = client.get("/parks/", {"format": "csv", "utm_source": "mail", "page": "2"})
        assert isinstance(again, FileResponse)  # the file: no rows read, no memory held
        assert raw(again) == built
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["X-Download-Rows"] == "3"
    assert int(again["Content-Length"]) == len(built)
    # Another format or filter is another file; a content change builds afresh.
    assert not isinstance(client.get("/parks/", {"format": "json"}), FileResponse)
    factories.park(name="Park new")
    fresh = client.get("/parks/", {"format": "csv"})
    assert not isinstance(fresh, FileResponse)
    assert b"Park new" in raw(fresh)


def test_a_download_cut_short_keeps_nothing(client, keeping, monkeypatch):

    monkeypatch.setattr(downloads, "PIECE_SIZE", 10)  # a piece per row
    for n in range(5):
        factories.park(name=f"Park {n}")
    response = client.get("/parks/", {"format": "csv"})
    pieces = iter(response.streaming_content)
    next(pieces)
    # The visitor went away: the server closes the response (the test's transaction stays).
    with mock.patch.object(connection, "close_if_unusable_or_obsolete"):
        response.close()
    assert kept_files(keeping) == []
    assert not isinstance(client.get("/parks/", {"format": "csv"}), FileResponse)


def test_a_first_search_download_is_not_kept(client, keeping):

    factories.project(name="Sensor", summary="Tomsk sensors")
    raw(client.get("/projects/", {"q": "sensors", "format": "csv"}))
    assert kept_files(keeping) == []  # random words fill no folder
    raw(client.get("/projects/", {"q": "sensors", "format": "csv"}))  # asked again: kept
    assert isinstance(client.get("/projects/", {"q": "sensors", "format": "csv"}), FileResponse)


def test_old_versions_and_the_oldest_beyond_the_cap_are_deleted(keeping, settings):

    keeping.mkdir()
    version = current_version().id
    long_ago = time.time() - kept_downloads.STALE_SECONDS - 60
    files = {
        "other-old": ("0ther-aaaa", long_ago),
        "other-recent": ("0ther-bbbb", time.time()),
        "mine-old": (f"{version}-cccc", long_ago - 60),
        "mine-new": (f"{version}-dddd", time.time()),
    }
    for name, mtime in files.values():
        (keeping / name).write_bytes(b"x" * 100)
        os.utime(keeping / name, (mtime, mtime))
    settings.DOWNLOAD_CACHE_MAX_BYTES = 250
    kept_downloads.prune()
    # A stale file of another version goes; then the oldest until 250 bytes remain.
    assert sorted(path.name for path in keeping.iterdir()) == sorted(
        [files["other-recent"][0], files["mine-new"][0]]
    )


def test_downloads_are_limited_per_client(client, keeping, settings):
    settings.DOWNLOAD_THROTTLE_RATE = "2/min"
    factories.park(name="Park")
    for fmt in ("csv", "json"):
        assert client.get("/parks/", {"format": fmt}).status_code == 200
    for fmt, content_type in (("csv", "text/plain"), ("json", "application/json")):
        refused = client.get("/parks/", {"format": fmt})
        assert refused.status_code == 429
        assert refused["Content-Type"].startswith(content_type)
        assert 1 <= int(refused["Retry-After"]) <= 60
        assert "Too many downloads" in refused.content.decode()
    # The pages stay open, and another client may download.
    assert client.get("/parks/").status_code == 200
    other = client.get("/parks/", {"format": "csv"}, REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 200
    ru = client.get("/ru/parks/", {"format": "csv"})
    assert ru.status_code == 429 and "Слишком много" in ru.content.decode()
