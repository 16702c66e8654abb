"""Seed PostgreSQL at the scale of the spec's budgets and measure them; run it via bench/run.

(a) SQL queries per public page, (b) in-process median time of each page with every cache
emptied before each render (cold) and with what it keeps (warm), (c) requests per second of
cached pages under gunicorn on loopback as a ratio to a trivial view in the same run, (d) peak
memory of a worker, plus EXPLAIN of every query of every page. ``--layers`` instead compares
every cache layer on and off; ``--against`` compares the cold path with another commit's.
See README.md.

The parts: database.py (seeding), pages.py (what is measured), measure.py (a, b, EXPLAIN),
load.py (c, d), report.py (the table), layers.py (the cache layers), commits.py (two commits).
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench import commits, load, measure, report
from bench.database import (
    environment,
    grow,
    manage,
    prepare_database,
    say,
    scale,
    server_connection,
)
from bench.pages import pages_to_measure, selected

__all__ = ["environment", "manage", "prepare_database", "server_connection"]  # bench/*.py use them

# Pages slower than this in process are left out of the load test, which would only time out.
TOO_SLOW_MS = 1000


def parse_args(argv=None):
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
        "--load-rounds",
        type=int,
        default=1,
        help="Turns of the trivial view and each cached page (the median ratio counts).",
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="Seconds of load per page before measuring."
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() * 2 + 1)
    parser.add_argument("--connections", type=int, default=0, help="Default: 2 per worker.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn part (c, d).")
    parser.add_argument(
        "--no-nginx", action="store_true", help="Load gunicorn directly, without nginx in front."
    )
    parser.add_argument(
        "--grow-to",
        metavar="ARTICLES,PROJECTS,STAKEHOLDERS",
        help="Measure in process at the asked scale, add demo rows up to this one (for example "
        "1000000,50000,10000), measure again and print each page's growth; the load part and "
        "the budgets then apply at this scale.",
    )
    parser.add_argument(
        "--pages",
        default="",
        help="Only the pages whose label contains one of these (comma-separated).",
    )
    parser.add_argument(
        "--layers",
        nargs="?",
        const="all",
        default=None,
        metavar="LAYER,...",
        help="Compare each cache layer on and off instead (all, or some of: "
        "page-cache, query-cache, kept-counts, api-cache, downloads, social-cards, "
        "workflow-dashboard, version-stamp).",
    )
    parser.add_argument(
        "--against",
        metavar="TREE",
        help="Compare the cold path with the code in TREE (a git worktree of another commit).",
    )
    parser.add_argument(
        "--against-database-url",
        help="The database TREE's code seeds (default: this one's name with _against).",
    )
    parser.add_argument(
        "--repeats", type=int, default=5, help="Rounds of --against (each commit in turn)."
    )
    return parser.parse_args(argv)


def main():
    args = parse_args()
    load_average = os.getloadavg()[0]
    static_root = Path(tempfile.mkdtemp(prefix="inotomsk-bench-static-"))
    env = environment(args, static_root)
    try:
        if args.against:
            # Both trees measured in their own processes, alternately.
            sys.exit(commits.main(args, env, load_average))
        seed_seconds = prepare_database(args, env)
        manage(env, "collectstatic", "--noinput", "-v", "0")
        sys.exit(measure_pages(args, env, seed_seconds, load_average))
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def measure_pages(args, env, seed_seconds, load_average):
    """The in-process part, then the part under gunicorn; the exit code."""
    measure.setup_django(env)
    if args.layers:
        # Imported once Django is set up: it reads the site's modules.
        from bench import layers

        return layers.main(args, seed_seconds, load_average)
    say("Measuring in process: queries, render time, EXPLAIN")
    results = measure.measure_in_process(args, selected(pages_to_measure(), args.pages))
    earlier = None
    if args.grow_to:
        earlier = {"scale": scale(args), "results": results, "seconds": seed_seconds}
        earlier["grow_seconds"] = grow(args, env)
        seed_seconds = (seed_seconds or 0) + earlier["grow_seconds"]
        say(f"Measuring in process again at {args.articles:,} articles")
        results = measure.measure_in_process(args, selected(pages_to_measure(), args.pages))
    under_load = None
    if not args.no_load:
        say("Measuring under gunicorn")
        report.RESULTS.mkdir(exist_ok=True)
        with open(report.RESULTS / "gunicorn.log", "w") as log:
            for r in results:
                if r.get("ms", 0) > TOO_SLOW_MS:
                    r["load_error"] = f"not load-tested: slower than {TOO_SLOW_MS} ms in process"
            loadable = [r for r in results if "error" not in r and "load_error" not in r]
            under_load = load.measure_under_load(args, env, loadable, log)
    ok = report.report(args, seed_seconds, results, under_load, load_average, earlier)
    return 0 if ok else 1


if __name__ == "__main__":
    main()
