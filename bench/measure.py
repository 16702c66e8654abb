"""(a) SQL queries, (b) cold and warm render times, and EXPLAIN, in this process."""

import json
import os
import statistics
import time

import django
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.database import say


def setup_django(env):
    """Set Django up in this process with the run's environment (bench settings)."""
    os.environ.update(env)
    django.setup()


def clear_caches():
    for kept in caches.all():
        kept.clear()


def render(client, url, **headers):
    """GET ``url``; a streamed answer (a download) is read to its end, as a client would."""
    response = client.get(url, **headers)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def timed(client, url, **headers):
    """(milliseconds, response) of one render of ``url``."""
    started = time.perf_counter()
    response = render(client, url, **headers)
    return (time.perf_counter() - started) * 1000, response


def big_tables(min_rows=20_000):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s", [min_rows]
        )
        return {row[0] for row in cursor.fetchall()}


def explain(sql, large):
    """Index names used and sequential scans of large tables in the plan of ``sql``, as run:
    a branch the query never enters (a one-time condition that was false) does not count."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    indexes, scans, stack = set(), set(), [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        if not node.get("Actual Loops"):
            continue  # never executed, nor anything below it
        if "Index Name" in node:
            indexes.add(node["Index Name"])
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in large:
            scans.add(node["Relation Name"])
        stack.extend(node.get("Plans", []))
    return indexes, scans


def measure_page(args, client, url, large):
    """The figures of one page: queries, cold and warm medians, indexes and scans."""
    result = {}
    render(client, url)  # loads code and templates, as a running server has
    # Cold: every cache emptied before each render, as after a content change.
    cold_timings = []
    for run in range(args.cold_runs):
        clear_caches()
        with CaptureQueriesContext(connection) as queries:
            ms, response = timed(client, url)
        cold_timings.append(ms)
        if run == 0:
            # Copies: every request clears the connection's query log.
            cold = list(queries.captured_queries)
    result["cold_ms"] = statistics.median(cold_timings)
    with CaptureQueriesContext(connection) as queries:
        render(client, url)
    warm = list(queries.captured_queries)
    result["status"] = response.status_code
    result["queries"], result["warm_queries"] = len(cold), len(warm)
    timings = []
    for _run in range(args.runs):
        timings.append(timed(client, url)[0])
        if len(timings) >= 3 and sum(timings) > 10_000:
            break  # a very slow page: a few runs say enough
    result["ms"] = statistics.median(timings)
    used, scans, cold_scans = set(), set(), set()
    for captured, seen in ((warm, scans), (cold, cold_scans)):
        for query in captured:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                indexes, seq = explain(query["sql"], large)
                used |= indexes
                seen |= seq
    result["indexes"], result["seq_scans"] = sorted(used), sorted(scans)
    result["cold_seq_scans"] = sorted(cold_scans - scans)
    return result


def measure_in_process(args, pages):
    """The figures of every page in ``pages``, with the page cache off."""
    settings.PAGE_CACHE_SECONDS = 0  # render every time: this part measures the pages
    client = Client()
    large = big_tables()
    results = []
    for label, url, kind in pages:
        result = {"label": label, "url": url, "kind": kind}
        results.append(result)
        try:
            result.update(measure_page(args, client, url, large))
        except Exception as error:  # a broken page is reported, not fatal
            result["error"] = f"{type(error).__name__}: {error}".splitlines()[0][:120]
        say(
            f"  {label}: {result.get('status', 'error')} cold {result.get('cold_ms', 0):.1f} ms, "
            f"warm {result.get('ms', 0):.1f} ms"
        )
    return results
