"""An image upload's request time, renditions in the request or by the worker:
`.venv/bin/python bench/upload.py`.

Makes a throwaway database (SQLite in a temporary folder by default, or ``--database-url``,
dropped and created afresh) and media folder, then posts a photograph-like JPEG (3000 × 2000,
noise over a gradient) to an article's change form in the admin, in process, ``--uploads``
times with each task backend: ``immediate`` (the renditions are made in the request, as
before) and ``database`` (queued; the worker makes them after the request). It prints the
median and the slowest request time of each, and for the database backend the worker's
median time per upload (``run_worker --once`` after each). See docs/benchmarks.md.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import django
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=15, help="Uploads per backend.")
    parser.add_argument(
        "--database-url",
        default="",
        help="A PostgreSQL database, dropped and created afresh (default: SQLite, temporary).",
    )
    parser.add_argument("--size", default="3000x2000", help="The picture, WIDTHxHEIGHT.")
    return parser.parse_args()


def say(message):
    print(message, flush=True)


def photograph(size):
    """JPEG bytes of a picture that compresses like a photograph (noise over a gradient)."""
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    noise = Image.effect_noise(size, 48).convert("RGB")
    picture = Image.blend(gradient, noise, 0.35)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=88)
    return out.getvalue()


def prepare(args, folder):
    """The environment of a production-like process on a fresh database."""
    (folder / "static").mkdir()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY="bench-only-not-a-secret",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_TASKS_BACKEND="immediate",
        MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "static"),
        DJANGO_LOG_LEVEL="ERROR",
    )
    if args.database_url:
        name = urlsplit(args.database_url).path.lstrip("/")
        server = args.database_url.rsplit("/", 1)[0] + "/postgres"
        for statement in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", server, "-qc", statement], check=True)
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"


def upload_form(article, picture, number):
    local = timezone.localtime(article.published_at)
    return {
        "title": article.title,
        "slug": article.slug,
        "status": article.status,
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
        "lead": article.lead,
        "body": article.body,
        "image": SimpleUploadedFile(f"photo-{number}.jpg", picture, "image/jpeg"),
        "image_alt": "A photograph",
    }


BACKENDS = (
    ("immediate (renditions in the request)", IMMEDIATE, False),
    ("database (renditions by the worker)", DATABASE_QUEUE, True),
)


def upload_once(client, url, form, tasks, worker):
    """(request time, worker time or None) of one upload with the task backend ``tasks``."""
    with override_settings(TASKS=tasks):
        started = time.perf_counter()
        response = client.post(url, form)
        took = time.perf_counter() - started
        if response.status_code != 302:
            raise SystemExit(f"The upload was refused: {response.status_code}")
        if not worker:
            return took, None
        started = time.perf_counter()
        call_command("run_worker", "--once")
        return took, time.perf_counter() - started


def measure(client, article, picture, uploads):
    """{label: (request times, worker times)}; the backends take turns, upload by upload, so
    that a shared machine's drift falls on both alike."""
    url = reverse("admin:news_article_change", args=[article.pk])
    times = {label: ([], []) for label, _tasks, _worker in BACKENDS}
    for number in range(uploads + 1):
        for label, tasks, worker in BACKENDS:
            took, ran = upload_once(
                client, url, upload_form(article, picture, number), tasks, worker
            )
            if number:  # the first round warms the process (imports, templates): not counted
                times[label][0].append(took)
                if ran is not None:
                    times[label][1].append(ran)
    return times


def main():
    args = parse_args()
    size = tuple(int(part) for part in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="inotomsk-bench-upload-") as folder:
        prepare(args, Path(folder))
        django.setup()
        from news.models import Article  # models load once django.setup() has read settings

        say("Migrating a fresh database")
        call_command("migrate", verbosity=0)
        user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
        article = Article.objects.create(
            title="Upload bench", slug="upload-bench", body="Text.", published_at=timezone.now()
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        picture = photograph(size)
        say(f"Picture: {size[0]} x {size[1]} JPEG, {len(picture) / 1e6:.1f} MB; "
            f"{args.uploads} uploads per backend (after one to warm up)")  # fmt: skip
        times = measure(client, article, picture, args.uploads)
        say("")
        say("| backend | request median | request slowest | worker median per upload |")
        say("| --- | --- | --- | --- |")
        for label, (requests, runs) in times.items():
            worker = f"{statistics.median(runs) * 1000:.0f} ms" if runs else "none"
            say(
                f"| {label} | {statistics.median(requests) * 1000:.0f} ms "
                f"| {max(requests) * 1000:.0f} ms | {worker} |"
            )
        if args.database_url:
            connections.close_all()


if __name__ == "__main__":
    main()
