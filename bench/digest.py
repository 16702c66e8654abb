"""A digest to 10,000 subscribers, in process: `.venv/bin/python bench/digest.py`.

Creates a throwaway PostgreSQL database (dropped and created afresh, then migrated and seeded),
adds generated confirmed subscribers (all news, a cluster, a direction, the events; English
and Russian) and news published since their confirmation, then prints the time and the peak
Python memory (tracemalloc) of ``subscriptions.digest.send_digests("daily")``: every message
goes over SMTP to a local aiosmtpd server that discards it (``--sink null``: Django's dummy
backend, no SMTP). See docs/benchmarks.md.
"""

import argparse
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench import environment, manage, server_connection  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=20, help="News published since.")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/inotomsk_bench_digest"
        ),
        help="A PostgreSQL database that is dropped and created afresh.",
    )
    parser.add_argument("--sink", choices=["smtp", "null"], default="smtp")
    return parser.parse_args()


def say(message):
    print(message, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_smtp_sink(port):
    """aiosmtpd's Sink (accepts and discards) in its own process, so it costs this one
    neither time nor memory; run outside the project, whose ``public`` app shadows the
    ``public`` package aiosmtpd imports."""
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"],
        cwd=tempfile.gettempdir(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("The SMTP sink did not start (is aiosmtpd installed?)")


def prepare_database(args, env):
    name = urlsplit(args.database_url).path.lstrip("/")
    say(f"Creating database {name} afresh")
    with server_connection(args.database_url, "postgres").cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "loaddata", "seed", "-v", "0")


def generate(args):
    """Confirmed daily subscribers of every topic, and news and events new since then."""
    from datetime import timedelta

    from django.utils import timezone

    from clusters.models import Cluster
    from events.models import Event
    from news.models import Article
    from portal.models import Direction
    from subscriptions.models import Subscription

    now = timezone.now()
    clusters = list(Cluster.objects.published()[:5])
    directions = list(Direction.objects.all()[:5])
    for n in range(args.articles):
        article = Article.objects.create(
            title=f"Bench news {n}",
            slug=f"bench-news-{n}",
            body=f"Bench text {n}.",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=1, minutes=n),
        )
        article.clusters.add(clusters[n % len(clusters)])
        article.directions.add(directions[n % len(directions)])
    for n in range(5):  # new in the calendar: the events' subscribers get a digest too
        start = now + timedelta(days=10 + n)
        Event.objects.create(
            title=f"Bench event {n}",
            slug=f"bench-event-{n}",
            start=start,
            end=start + timedelta(hours=3),
            place="Tomsk",
            status=Event.Status.PUBLISHED,
        )
    topics = ["all", "cluster", "direction", "events", "all"]
    rows = []
    for n in range(args.subscribers):
        topic = topics[n % len(topics)]
        rows.append(
            Subscription(
                email=f"reader{n}@example.org",
                language="ru" if n % 2 else "en",
                topic=topic,
                cluster=clusters[n % len(clusters)] if topic == "cluster" else None,
                direction=directions[n % len(directions)] if topic == "direction" else None,
                frequency="daily",
                confirmed_at=now - timedelta(days=1),
                consent_text="bench",
                consent_version="bench",
                consented_at=now - timedelta(days=1),
            )
        )
    Subscription.objects.bulk_create(rows, batch_size=2000)


def run_digest(measure_memory):
    from subscriptions import digest
    from subscriptions.models import Subscription

    Subscription.objects.update(last_sent_at=None)  # every subscriber due again
    if measure_memory:
        tracemalloc.start()
    started = time.perf_counter()
    sent = digest.send_digests("daily")
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if measure_memory else None
    if measure_memory:
        tracemalloc.stop()
    return sent, seconds, peak


def main():
    args = parse_args()
    # Stopped by a signal, still stop the SMTP sink and drop the database (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    scale = SimpleNamespace(database_url=args.database_url, redis_url="")
    static_root = Path(tempfile.mkdtemp(prefix="inotomsk-bench-static-"))
    env = environment(scale, static_root)
    sink = None
    try:
        prepare_database(args, env)
        os.environ.update(env)
        import django

        django.setup()
        from django.conf import settings

        if args.sink == "smtp":
            port = free_port()
            sink = start_smtp_sink(port)
            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
            settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
            settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        else:
            settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        started = time.perf_counter()
        generate(args)
        say(f"{args.subscribers} subscribers, {args.articles} news: "
            f"{time.perf_counter() - started:.1f} s to generate")  # fmt: skip
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sent, seconds, _ = run_digest(measure_memory=False)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        say(f"digest ({args.sink}): {sent} messages in {seconds:.1f} s "
            f"({sent / seconds:.0f}/s); peak RSS {rss_after:.0f} MB "
            f"(+{rss_after - rss_before:.0f} MB)")  # fmt: skip
        sent, seconds, peak = run_digest(measure_memory=True)
        say(f"again under tracemalloc: {sent} messages in {seconds:.1f} s, "
            f"peak Python memory {peak:.1f} MB")  # fmt: skip
    finally:
        if sink is not None:
            sink.terminate()
            sink.wait(timeout=10)
        shutil.rmtree(static_root, ignore_errors=True)
        # Throwaway: the database goes (WITH (FORCE) ends this process's connections too).
        name = urlsplit(args.database_url).path.lstrip("/")
        with server_connection(args.database_url, "postgres").cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
