"""bin/backup and bin/restore move a whole site: pages render the same from the restored copy.

Each run builds a throwaway site (migrate, seed, one uploaded image) in subprocesses, as an
operator would, backs it up, restores it into a fresh database and media folder, and renders
the same pages from both. SQLite always; PostgreSQL when DATABASE_URL points at a server.
"""

import json
import os
import re
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("DATABASE_URL", "")

UPLOAD = """
import io
from django.core.files.base import ContentFile
from PIL import Image
from news.models import Article
data = io.BytesIO()
Image.new("RGB", (640, 360), "teal").save(data, "PNG")
article = Article.objects.get(pk=1)
article.image_alt = "A teal rectangle"
article.image.save("photo.png", ContentFile(data.getvalue()))
"""

# A live session and a log-in throttle row, which a backup must leave out.
PRIVATE_ROWS = """
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from cms.models import LoginThrottle
session = SessionStore()
session["note"] = "private"
session.create()
LoginThrottle.objects.bulk_create([LoginThrottle(key="k" * 64, window_started=timezone.now())])
print(session.session_key)
"""

COUNT_PRIVATE_ROWS = """
from django.contrib.sessions.models import Session
from cms.models import LoginThrottle
print(Session.objects.count(), LoginThrottle.objects.count())
"""

RENDER = """
import hashlib
import json
from django.test import Client
from news.models import Article
from portal.models import Project
article = Article.objects.get(pk=1)
urls = ["/", "/news/", article.get_absolute_url(), "/projects/"]
urls += [Project.objects.get(pk=1).get_absolute_url(), article.image.url]
pages = {}
for url in urls:
    response = Client().get(url)
    body = b"".join(response) if response.streaming else response.content
    text = response["Content-Type"].startswith("text/")
    pages[url] = [response.status_code, body.decode() if text else hashlib.sha256(body).hexdigest()]
print(json.dumps(pages))
"""


def run(args, database_url, media, **kwargs):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PG")) and key != "DATABASE_URL"
    }
    env |= {
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "DJANGO_SECRET_KEY": "x",
        "DJANGO_HTTPS": "0",
        # Plain static files storage (no collectstatic manifest) and media served by Django.
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, **kwargs
    )


def manage(*args, database_url, media):
    result = run([sys.executable, "manage.py", *args], database_url, media)
    assert result.returncode == 0, result.stderr
    return result.stdout


def render(database_url, media):
    output = manage("shell", "-c", RENDER, database_url=database_url, media=media)
    pages = json.loads(output.strip().splitlines()[-1])
    for url, (status, _html) in pages.items():
        assert status == 200, url
    # Forms carry a per-request CSRF token; nothing else may differ.
    return {
        url: re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*', r"\1", html)
        for url, (_status, html) in pages.items()
    }


def files(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def round_trip(tmp_path, source_url, target_url):
    media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    manage("migrate", "--noinput", database_url=source_url, media=media)
    seed_objects = len(json.loads((ROOT / "fixtures" / "seed.json").read_text(encoding="utf-8")))
    assert f"created {seed_objects};" in manage("seed", database_url=source_url, media=media)
    manage("shell", "-c", UPLOAD, database_url=source_url, media=media)
    session_key = manage("shell", "-c", PRIVATE_ROWS, database_url=source_url, media=media)
    session_key = session_key.strip().splitlines()[-1]
    original_files = files(media)
    assert [name for name in original_files if name.startswith("images/")]  # a random name

    backup = run(
        [sys.executable, str(ROOT / "bin" / "backup"), str(tmp_path / "backups")], source_url, media
    )
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "backups" and folder.name.startswith("inotomsk-")
    assert json.loads((folder / "manifest.json").read_text())["media_files"] == len(original_files)
    # Password hashes inside: readable by the owner only.
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    written = list(folder.iterdir())
    assert {path.name for path in written} >= {"manifest.json", "media.tar"}
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        assert session_key.encode() not in path.read_bytes(), path.name

    restore = run(
        [sys.executable, str(ROOT / "bin" / "restore"), str(folder)], target_url, restored_media
    )
    assert restore.returncode == 0, restore.stderr
    assert files(restored_media) == original_files
    # Sessions and throttle rows stay behind: the source has them, the copy none.
    counts = manage("shell", "-c", COUNT_PRIVATE_ROWS, database_url=source_url, media=media)
    assert counts.strip().splitlines()[-1].split() == ["1", "1"]
    counts = manage(
        "shell", "-c", COUNT_PRIVATE_ROWS, database_url=target_url, media=restored_media
    )
    assert counts.strip().splitlines()[-1].split() == ["0", "0"]

    original, copy = render(source_url, media), render(target_url, restored_media)
    assert list(copy) == list(original)
    for url, html in original.items():
        assert copy[url] == html, url
    article_url = list(original)[2]
    assert 'alt="A teal rectangle"' in original[article_url]
    assert "/media/images/" in original[article_url]

    # A second restore into the now filled database is refused without --force.
    again = run(
        [sys.executable, str(ROOT / "bin" / "restore"), str(folder)], target_url, restored_media
    )
    assert again.returncode != 0 and "--force" in again.stderr


def test_sqlite_backup_restores_the_same_site(tmp_path):
    round_trip(
        tmp_path,
        f"sqlite:///{tmp_path / 'site.sqlite3'}",
        f"sqlite:///{tmp_path / 'new-machine' / 'site.sqlite3'}",
    )


@pytest.mark.skipif(
    not SERVER_URL.startswith("postgres"), reason="DATABASE_URL is not a PostgreSQL server"
)
def test_postgresql_backup_restores_the_same_site(tmp_path):
    import psycopg2

    server = dj_database_url.parse(SERVER_URL)
    stem = f"{server['NAME']}_backup_{uuid.uuid4().hex[:8]}"
    source, target = f"{stem}_source", f"{stem}_restored"
    base = SERVER_URL.rsplit("/", 1)[0].split("?")[0]
    admin = psycopg2.connect(
        dbname="postgres",
        user=server["USER"] or None,
        password=server["PASSWORD"] or None,
        host=server["HOST"] or None,
        port=server["PORT"] or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{source}"')
        # The target does not exist yet: bin/restore creates it, as on a new machine.
        round_trip(tmp_path, f"{base}/{source}", f"{base}/{target}")
    finally:
        with admin.cursor() as cursor:
            for name in (source, target):
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
