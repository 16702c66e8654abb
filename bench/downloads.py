"""Downloads and search floods at scale, in process: `.venv/bin/python bench/downloads.py`.

Seeds PostgreSQL with generated content (seed_demo, 20,000 articles by default; `--reuse` keeps
a database that holds it), then prints, for a list's full download (`/news/?format=csv` and
`json`: the first DOWNLOAD_MAX_ROWS rows), the time and peak Python memory (tracemalloc) of a
cold download (nothing kept) and of a kept one; and what random searches add to the cache
(entries and bytes; Redis with `--redis-url`, else local memory). See docs/benchmarks.md.
"""

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench import environment, manage, prepare_database  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/inotomsk_bench_downloads"
        ),
        help="A PostgreSQL database that is dropped and created afresh (unless --reuse).",
    )
    parser.add_argument("--reuse", action="store_true", help="Keep a database of this scale.")
    parser.add_argument("--redis-url", default="", help="Shared cache (default: local memory)")
    parser.add_argument("--runs", type=int, default=5, help="Kept downloads timed per format.")
    parser.add_argument("--searches", type=int, default=2000, help="Random searches sent.")
    parser.add_argument("--no-downloads", action="store_true", help="Only the searches.")
    return parser.parse_args()


def say(message):
    print(message, flush=True)


def fetch(client, url):
    """Seconds, bytes and status of one full download, its body read to the end."""
    started = time.perf_counter()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response) if response.streaming else len(response.content)
    response.close()
    return time.perf_counter() - started, size, response.status_code


def peak_memory(client, url):
    """Peak Python memory (MB) of one download, read to the end."""
    tracemalloc.start()
    try:
        fetch(client, url)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def forget_everything():
    """Nothing kept: every cache emptied and the kept downloads' folder too."""
    from django.conf import settings
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    folder = getattr(settings, "DOWNLOAD_CACHE_DIR", None)
    if folder and Path(folder).is_dir():
        shutil.rmtree(folder)


def measure_downloads(args):
    from django.test import Client

    client = Client()
    say(f"{'download':<22} {'rows':>6} {'MB':>6} {'cold s':>7} {'kept s':>7} "
        f"{'cold MB':>8} {'kept MB':>8}")  # fmt: skip
    for fmt in ("csv", "json"):
        url = f"/news/?format={fmt}"
        forget_everything()
        cold, size, status = fetch(client, url)
        assert status == 200, (url, status)
        rows = client.get(url).get("X-Download-Rows")  # the header, the body left unread
        kept = statistics.median(fetch(client, url)[0] for _ in range(args.runs))
        forget_everything()
        cold_memory = peak_memory(client, url)
        kept_memory = peak_memory(client, url)
        say(f"{url:<22} {rows:>6} {size / 2**20:>6.1f} {cold:>7.2f} {kept:>7.3f} "
            f"{cold_memory:>8.1f} {kept_memory:>8.1f}")  # fmt: skip


def cache_size(cache):
    """(entries, bytes) of the default cache: Redis's own count and memory, or local memory's
    entries and their pickled sizes."""
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        redis = cache._cache.get_client(write=False)
        return redis.dbsize(), redis.info("memory")["used_memory"]
    entries = dict(cache._cache)
    return len(entries), sum(len(value) for value in entries.values())


def measure_searches(args, label):
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    urls = ("/search/?q=", "/news/?q=")
    for url in urls:
        client.get(url.split("?")[0])  # what every page keeps, whatever is searched
    entries, size = cache_size(cache)
    started = time.perf_counter()
    for n in range(args.searches):
        client.get(f"{urls[n % 2]}{secrets.token_hex(6)}")
    seconds = time.perf_counter() - started
    after_entries, after_size = cache_size(cache)
    say(
        f"{args.searches} random searches ({label}) in {seconds:.1f} s: "
        f"+{after_entries - entries} cache entries, +{(after_size - size) / 2**20:.2f} MB"
    )


def main():
    args = parse_args()
    scale = SimpleNamespace(
        articles=args.articles,
        projects=args.articles // 10,
        stakeholders=args.articles // 50,
        database_url=args.database_url,
        redis_url=args.redis_url,
        reuse=args.reuse,
    )
    static_root = Path(tempfile.mkdtemp(prefix="inotomsk-bench-static-"))
    env = environment(scale, static_root)
    env["DJANGO_DOWNLOAD_CACHE_DIR"] = tempfile.mkdtemp(prefix="inotomsk-bench-downloads-")
    env["DOWNLOAD_THROTTLE_RATE"] = ""  # one address downloads again and again here
    try:
        prepare_database(scale, env)
        manage(env, "collectstatic", "--noinput", "-v", "0")  # pages link hashed names
        os.environ.update(env)
        import django

        django.setup()
        from django.core.cache import cache

        if args.redis_url:
            cache.clear()
        if not args.no_downloads:
            measure_downloads(args)
        forget_everything()
        measure_searches(args, "kept when asked again")
        # As before: every search kept at once.
        from public import caching

        forget_everything()
        caching.asked_again = lambda key: True
        measure_searches(args, "every search kept, as before")
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(env["DJANGO_DOWNLOAD_CACHE_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
