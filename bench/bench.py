"""Seed PostgreSQL at the scale of the spec's budgets and measure them; run it via bench/run.

(a) SQL queries per public page, (b) in-process median time of each page with every cache
emptied before each render (cold) and with what it keeps (warm), (c) requests per second of
cached pages under gunicorn on loopback as a ratio to a trivial view in the same run, (d) peak
memory of a worker, plus EXPLAIN of every query of every page. See README.md.
"""

import argparse
import http.client
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MAX_QUERIES, MIN_CACHED = 12, 0.8
# The cold budgets (ms, median in process, every cache empty) by kind of page.
COLD_BUDGET_MS = {"list": 100, "search": 200, "home": 50, "article": 25}
# Pages slower than this in process are left out of the load test, which would only time out.
TOO_SLOW_MS = 1000
TRIVIAL = "/bench/trivial/"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--stakeholders", type=int, default=2_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/inotomsk_bench"
        ),
        help="A PostgreSQL database that is dropped and created afresh.",
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", ""), help="Shared cache (default: none)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="Keep the database if it holds the asked scale."
    )
    parser.add_argument("--runs", type=int, default=25, help="Warm renders per page in process.")
    parser.add_argument(
        "--cold-runs", type=int, default=7, help="Cold renders per page (caches emptied first)."
    )
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per page.")
    parser.add_argument(
        "--warmup", type=int, default=3, help="Seconds of load per page before measuring."
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() * 2 + 1)
    parser.add_argument("--connections", type=int, default=0, help="Default: 2 per worker.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn part (c, d).")
    return parser.parse_args()


def say(message):
    print(message, flush=True)


# Preparing the database


def environment(args, static_root):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_HTTPS="0",
        DATABASE_URL=args.database_url,
        STATIC_ROOT=str(static_root),
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


def manage(env, *command):
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


def server_connection(url, database):
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=database,
    )
    connection.autocommit = True
    return connection


def holds_scale(args, name):
    try:
        connection = server_connection(args.database_url, name)
    except Exception:  # a missing database simply means "no"
        return False
    with connection, connection.cursor() as cursor:
        try:
            counts = []
            for table in ("news_article", "portal_project", "portal_stakeholder"):
                cursor.execute(f"SELECT count(*) FROM {table} WHERE slug LIKE 'demo-%%'")
                counts.append(cursor.fetchone()[0])
        except Exception:  # not migrated yet
            return False
    return counts == [args.articles, args.projects, args.stakeholders]


def prepare_database(args, env):
    """Create, migrate and seed the benchmark database; return seed_demo's seconds."""
    name = urlsplit(args.database_url).path.lstrip("/")
    if args.reuse and holds_scale(args, name):
        say(f"Reusing {name}: it holds the asked scale.")
        manage(env, "migrate", "--noinput", "-v", "0")
        return None
    say(f"Creating database {name} afresh")
    with server_connection(args.database_url, "postgres").cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "loaddata", "seed", "-v", "0")
    started = time.monotonic()
    manage(
        env,
        "seed_demo",
        f"--articles={args.articles}",
        f"--projects={args.projects}",
        f"--stakeholders={args.stakeholders}",
        "--batch-size=5000",
    )
    seconds = time.monotonic() - started
    with server_connection(args.database_url, name).cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return seconds


# (a), (b) and EXPLAIN, in this process


def pages_to_measure():
    """(label, URL, kind of page for the cold budget or None) for every public page measured;
    needs Django set up."""
    from django.conf import settings

    from clusters.models import Cluster
    from news.models import Article
    from portal.models import Project

    cluster = Cluster.objects.published().order_by("order", "name").first()
    project = Project.objects.published().filter(articles__isnull=False).order_by("pk").first()
    article = Article.objects.published().order_by("-published_at", "-id").first()
    rare_word = article.title.rsplit("(", 1)[-1].strip(")") if article else "none"
    last_page = max(1, math.ceil(Article.objects.published().count() / settings.PORTAL_PAGE_SIZE))
    # Page 500 at full scale; the middle page of a smaller trial.
    deep_page = min(500, max(1, last_page // 2))
    return [
        ("home", "/", "home"),
        ("news", "/news/", "list"),
        ("news, cluster filter", f"/news/?cluster={cluster.slug if cluster else 'none'}", "list"),
        ("news, year filter", "/news/?year=2020", "list"),
        ("news, project filter", f"/news/?project={project.slug if project else 'none'}", "list"),
        (f"news, page {deep_page}", f"/news/?page={deep_page}", "list"),
        (f"news, last page ({last_page})", f"/news/?page={last_page}", "list"),
        ("projects", "/projects/", "list"),
        ("projects, status filter", "/projects/?status=in-progress", "list"),
        (
            "projects, cluster filter",
            f"/projects/?cluster={cluster.slug if cluster else 'none'}",
            "list",
        ),
        ("stakeholders", "/stakeholders/", "list"),
        ("stakeholders, kind filter", "/stakeholders/?kind=university", "list"),
        ("clusters", "/clusters/", "list"),
        ("parks", "/parks/", "list"),
        ("search", "/search/?q=innovation", "search"),
        ("news search", "/news/?q=innovation", "search"),
        # A word few articles hold (the number in a demo title): the vector index's case.
        ("news search, rare word", f"/news/?q={rare_word}", "search"),
        # Russian pages search the Russian texts (seed_demo writes some articles in Russian).
        ("search, Russian", f"/ru/search/?q={quote('кластер')}", "search"),
        ("news search, Russian", f"/ru/news/?q={quote('инновации')}", "search"),
        ("news, Russian", "/ru/news/", "list"),
        # The API (api app): a list, filtered lists, one in Russian.
        ("API articles", "/api/v1/articles/", "list"),
        (
            "API articles, cluster filter",
            f"/api/v1/articles/?cluster={cluster.slug if cluster else 'none'}",
            "list",
        ),
        ("API projects, status filter", "/api/v1/projects/?status=in-progress", "list"),
        ("API stakeholders, Russian", "/api/v1/stakeholders/?lang=ru", "list"),
        ("article", article.get_absolute_url() if article else "/news/none/", "article"),
        ("RSS feed", "/news/feed/rss/", None),
        ("sitemap", "/sitemap.xml", None),
    ]


def big_tables(connection, min_rows=20_000):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s", [min_rows]
        )
        return {row[0] for row in cursor.fetchall()}


def explain(connection, sql, large):
    """Index names used and sequential scans of large tables in the plan of ``sql``."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    indexes, scans, stack = set(), set(), [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        if "Index Name" in node:
            indexes.add(node["Index Name"])
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in large:
            scans.add(node["Relation Name"])
        stack.extend(node.get("Plans", []))
    return indexes, scans


def measure_in_process(args, env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0  # render every time: this part measures the pages
    client = Client()
    large = big_tables(connection)
    results = []
    for label, url, kind in pages_to_measure():
        result = {"label": label, "url": url, "kind": kind}
        results.append(result)
        try:
            client.get(url)  # loads code and templates, as a running server has
            # Cold: every cache emptied before each render, as after a content change.
            cold_timings = []
            for run in range(args.cold_runs):
                for kept in caches.all():
                    kept.clear()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    cold_timings.append((time.perf_counter() - started) * 1000)
                if run == 0:
                    # Copies: every request clears the connection's query log.
                    cold = list(queries.captured_queries)
            result["cold_ms"] = statistics.median(cold_timings)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            warm = list(queries.captured_queries)
            result["status"] = response.status_code
            result["queries"], result["warm_queries"] = len(cold), len(warm)
            timings = []
            for _run in range(args.runs):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                if len(timings) >= 3 and sum(timings) > 10_000:
                    break  # a very slow page: a few runs say enough
            result["ms"] = statistics.median(timings)
            used, scans, cold_scans = set(), set(), set()
            for captured, seen in ((warm, scans), (cold, cold_scans)):
                for query in captured:
                    if query["sql"].lstrip().upper().startswith("SELECT"):
                        indexes, seq = explain(connection, query["sql"], large)
                        used |= indexes
                        seen |= seq
            result["indexes"], result["seq_scans"] = sorted(used), sorted(scans)
            result["cold_seq_scans"] = sorted(cold_scans - scans)
        except Exception as error:  # a broken page is reported, not fatal
            result["error"] = f"{type(error).__name__}: {error}".splitlines()[0][:120]
        say(
            f"  {label}: {result.get('status', 'error')} cold {result.get('cold_ms', 0):.1f} ms, "
            f"warm {result.get('ms', 0):.1f} ms"
        )
    return results


# (c) and (d), under gunicorn


def start_server(args, env, cache_seconds, log):
    server_env = {**env, "BENCH_PAGE_CACHE_SECONDS": str(cache_seconds)}
    command = [
        PYTHON, "-m", "gunicorn", "inotomsk.wsgi",
        "--config", "gunicorn.conf.py",
        "--bind", f"127.0.0.1:{args.port}",
        "--workers", str(args.workers),
        "--threads", "1",  # sync workers, whatever gunicorn.conf.py picks without Redis
        "--max-requests", "0",  # keep the workers, so their peak memory is the whole run's
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=server_env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(args.port, TRIVIAL) == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 seconds; see the server log")


def stop_server(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def get(port, url):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", url)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def worker_memory(master):
    """Peak resident memory (VmHWM, MiB) of each worker of the gunicorn master."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return peaks


def load_with_wrk(args, url):
    connections = args.connections or 2 * args.workers
    output = subprocess.run(
        [
            "wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{args.duration}s",
            "--timeout", "10s", f"http://127.0.0.1:{args.port}{url}",
        ],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failures = int(bad.group(1)) if bad else 0
    if errors:
        failures += int(errors.group(1)) + int(errors.group(3)) + int(errors.group(4))
    return rps, requests, failures


def load_with_python(args, url):
    """A small closed-loop load generator for machines without wrk."""
    connections = args.connections or 2 * args.workers
    deadline = time.monotonic() + args.duration
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()

    def loop():
        while time.monotonic() < deadline:
            try:
                status = get(args.port, url)
            except OSError:
                status = 0
            with lock:
                counts["ok" if 200 <= status < 400 else "failed"] += 1

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = counts["ok"] + counts["failed"]
    return total / (time.monotonic() - started), total, counts["failed"]


def measure_under_load(args, env, pages, log):
    load = load_with_wrk if shutil.which("wrk") else load_with_python
    say(f"Load generator: {'wrk' if load is load_with_wrk else 'Python threads'}")
    requests, peaks, trivial = 0, [], {}
    # Only cached pages have a throughput budget; uncached ones answer to the cold budget.
    for phase, cache_seconds in (("cached", 600),):
        process = start_server(args, env, cache_seconds, log)
        try:
            for page in pages:
                try:
                    get(args.port, page["url"])
                except OSError as error:
                    page["load_error"] = f"warm-up request failed: {error}"
            pages = [page for page in pages if "load_error" not in page]
            # Without Redis every worker keeps its own pages, so each page is loaded first:
            # the table shows the steady state; the first render is column "cold ms".
            warm_up = argparse.Namespace(**{**vars(args), "duration": args.warmup})
            for page in [None, *pages]:
                url = TRIVIAL if page is None else page["url"]
                _rps, done, failed = load(warm_up, url)
                requests += done
                if page is not None:
                    page["failed"] = page.get("failed", 0) + failed
            # Each page right after the trivial view, and its ratio to that measurement: a
            # shared machine drifts over a run, and neighbours in time drift least.
            baseline = []
            for page in pages:
                trivial_rps, done, failed = load(args, TRIVIAL)
                requests += done
                baseline.append(trivial_rps)
                rps, done, failed = load(args, page["url"])
                requests += done
                page[f"rps_{phase}"] = rps
                page[f"ratio_{phase}"] = rps / trivial_rps
                page["failed"] = page.get("failed", 0) + failed
                say(f"  {phase} {page['url']}: {rps:.0f} req/s, trivial view {trivial_rps:.0f}")
            trivial[phase] = statistics.mean(baseline)
            peaks += worker_memory(process)
        finally:
            stop_server(process)
    return requests, max(peaks), trivial


# Report


def machine(load):
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    busy = " (WARNING: the machine was busy, figures are low)" if load > os.cpu_count() / 2 else ""
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {memory / 1024 / 1024:.0f} GiB RAM, "
        f"load average {load:.1f} before the run{busy}"
    )


def report(args, seed_seconds, results, load, load_average):
    from django import get_version
    from django.conf import settings
    from django.db import connection

    header = ["page", "status", "queries", "cold ms", "budget", "warm ms", "req/s cached"]
    header += ["ratio", "fail"]
    rows = []
    misses = []
    for r in results:
        if "error" in r:
            rows.append([r["label"], "ERROR", "", "", "", "", "", "", ""])
            misses.append(f"{r['label']}: {r['error']}")
            continue
        under_load = [
            f"{r['rps_cached']:.0f}", f"{r['ratio_cached']:.2f}", str(r["failed"]),
        ] if "rps_cached" in r else ["-"] * 3  # fmt: skip
        budget = COLD_BUDGET_MS.get(r["kind"])
        cells = [
            r["label"], str(r["status"]), f"{r['queries']} ({r['warm_queries']})",
            f"{r['cold_ms']:.1f}", f"{budget}" if budget else "-", f"{r['ms']:.1f}", *under_load,
        ]  # fmt: skip
        rows.append(cells)
        if r["status"] != 200:
            misses.append(f"{r['label']}: status {r['status']}")
        if r["queries"] > MAX_QUERIES:
            misses.append(f"{r['label']}: {r['queries']} queries > {MAX_QUERIES}")
        if budget and r["cold_ms"] > budget:
            misses.append(f"{r['label']}: cold {r['cold_ms']:.1f} ms > {budget} ms")
        if load and "load_error" in r:
            misses.append(f"{r['label']}: {r['load_error']}")
        elif load and r["kind"] in ("list", "search") and r["ratio_cached"] < MIN_CACHED:
            misses.append(f"{r['label']}: cached ratio {r['ratio_cached']:.2f}")
        if r.get("failed"):
            misses.append(f"{r['label']}: {r['failed']} failed responses under load")
        if r["seq_scans"]:
            misses.append(f"{r['label']}: sequential scan of {', '.join(r['seq_scans'])}")

    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "",
        f"Machine: {machine(load_average)}; {platform.python_implementation()} {platform.python_version()}, "
        f"Django {get_version()}, PostgreSQL {connection.pg_version // 10000}, "
        f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}",
        f"Scale: {args.articles:,} articles, {args.projects:,} projects, "
        f"{args.stakeholders:,} stakeholders"
        + (f"; seed_demo took {seed_seconds:.0f} s" if seed_seconds else ""),
    ]
    if load:
        requests, peak, trivial = load
        lines.append(
            f"gunicorn: {args.workers} sync workers, {args.warmup} s warm-up and {args.duration} s "
            f"per page, each ratio to the trivial view measured just before the page (mean "
            f"{trivial['cached']:.0f} req/s); peak worker memory {peak:.0f} MiB after "
            f"{requests:,} requests"
        )
    lines.append(
        f"queries: with every cache empty (with what the page keeps); cold ms: median of "
        f"{args.cold_runs} renders, every cache emptied before each; warm ms: median of later "
        "renders (page cache off; counts, page keys, facets, checked filters and search "
        "results kept per content version); req/s cached: anonymous pages from the page cache"
    )
    lines.append("")
    for row in [header, *rows]:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
    lines.append("")
    lines.append("Indexes used by each page's queries (EXPLAIN):")
    for r in results:
        if "indexes" in r:
            scans = f"; SEQ SCAN of {', '.join(r['seq_scans'])}" if r["seq_scans"] else ""
            if r["cold_seq_scans"]:
                scans += f"; cold only: SEQ SCAN of {', '.join(r['cold_seq_scans'])}"
            lines.append(f"  {r['label']}: {', '.join(r['indexes']) or '-'}{scans}")
    lines.append("")
    budgets = (
        f"Budgets: <= {MAX_QUERIES} queries per page; cold medians within the budget column "
        f"(lists {COLD_BUDGET_MS['list']} ms, searches {COLD_BUDGET_MS['search']}, home "
        f"{COLD_BUDGET_MS['home']}, an article {COLD_BUDGET_MS['article']}); cached lists >= "
        f"{MIN_CACHED} of the trivial view; no failures"
    )
    lines.append(budgets)
    lines += [f"  MISSED {miss}" for miss in misses] or ["  all met"]
    text = "\n".join(lines)
    say(text)
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%SZ", time.gmtime())
    (results_dir / f"{stamp}.txt").write_text(text + "\n")
    (results_dir / f"{stamp}.json").write_text(json.dumps(results, indent=2))
    return not misses


def main():
    args = parse_args()
    load_average = os.getloadavg()[0]
    static_root = Path(tempfile.mkdtemp(prefix="inotomsk-bench-static-"))
    env = environment(args, static_root)
    seed_seconds = prepare_database(args, env)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    say("Measuring in process: queries, render time, EXPLAIN")
    results = measure_in_process(args, env)
    load = None
    if not args.no_load:
        say("Measuring under gunicorn")
        results_dir = ROOT / "bench" / "results"
        results_dir.mkdir(exist_ok=True)
        with open(results_dir / "gunicorn.log", "w") as log:
            for r in results:
                if r.get("ms", 0) > TOO_SLOW_MS:
                    r["load_error"] = f"not load-tested: slower than {TOO_SLOW_MS} ms in process"
            loadable = [r for r in results if "error" not in r and "load_error" not in r]
            load = measure_under_load(args, env, loadable, log)
    ok = report(args, seed_seconds, results, load, load_average)
    shutil.rmtree(static_root, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
