"""Every cache layer on and off, in this process, on one database: `bench/run --layers`.

A layer is switched off by not keeping its keys (``cache_key`` names each key by its kind:
``inotomsk:<kind>:<hash>``), or, for the kept news counts, by counting live. Each page is
rendered with the layer and without it in turn, so the shared machine's drift falls on both.
Keyed layers are measured warm (what a later visitor gets), the kept counts cold (every cache
emptied before each render, as after a content change). The ``query-cache`` row is then
broken down by kind of kept result.
"""

import statistics
import time
import uuid
from contextlib import ExitStack, contextmanager
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.files.storage import storages
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.database import say
from bench.measure import clear_caches, timed
from bench.pages import more_pages, pages_to_measure, selected
from bench.report import context, table, write_results
from inotomsk import objectstore
from public.version_stamp import read_stamp, stamp_path
from tests.seaweedfs import SeaweedFS, weed_binary

PREFIX = "inotomsk:"
# Whole answers, each kept by its own layer; "results" in a skip set means every other kind
# but the bookkeeping (the version itself, the table of searches asked once).
ANSWERS = {"page", "api-answer", "download", "social-card", "workflow-dashboard"}
NOT_RESULTS = ANSWERS | {
    "content-version",
    "seen",
    "workflow-dashboard-version",
    "social-card-queued",
}
RESULTS = "results"
RENDERED = {"page", "api-answer", "download"}  # off while the query cache is measured
LAYERS = [
    "page-cache",
    "query-cache",
    "kept-counts",
    "api-cache",
    "downloads",
    "social-cards",
    "workflow-dashboard",
    "version-stamp",
]


def kind_of(key):
    return key[len(PREFIX) :].split(":", 1)[0] if key.startswith(PREFIX) else ""


@contextmanager
def keeping(skip=frozenset(), seen=None):
    """The default cache, neither keeping nor finding keys of the kinds in ``skip``; every
    kind stored is added to ``seen`` when given."""
    backend = caches["default"]
    get, set_ = backend.get, backend.set

    def skipped(key):
        kind = kind_of(key)
        return kind in skip or (RESULTS in skip and kind and kind not in NOT_RESULTS)

    def patched_get(key, default=None, version=None):
        return default if skipped(key) else get(key, default, version)

    def patched_set(key, value, *args, **kwargs):
        if seen is not None and kind_of(key):
            seen.add(kind_of(key))
        if not skipped(key):
            set_(key, value, *args, **kwargs)

    backend.get, backend.set = patched_get, patched_set
    try:
        yield
    finally:
        del backend.get, backend.set  # the class's methods again


def state(*skip, live_counts=False, seen=None):
    """One side of a comparison: a function that returns its context manager."""

    def enter():
        stack = ExitStack()
        stack.enter_context(keeping(frozenset(skip), seen))
        if live_counts:
            # counter_for() then counts every list live (public/listing/counters.py).
            stack.enter_context(
                mock.patch("public.listing.kept.KeptCounter.covering", return_value=None)
            )
        return stack

    return enter


def compare(client, url, with_layer, without, runs, cold=False):
    """{"with_ms", "without_ms", "with_queries", "without_queries"} of ``url``: median times
    of renders with and without the layer in turn (alternating which goes first), after one
    untimed render of each; the queries of the last render of each."""
    for side in (with_layer, without):
        with side():
            timed(client, url)
    timings, queries = {True: [], False: []}, {}
    for run in range(runs):
        for on in (True, False) if run % 2 == 0 else (False, True):
            with (with_layer if on else without)(), CaptureQueriesContext(connection) as seen:
                if cold:
                    clear_caches()
                ms, response = timed(client, url)
            timings[on].append(ms)
            queries[on] = len(seen.captured_queries)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
    return {
        "with_ms": statistics.median(timings[True]),
        "without_ms": statistics.median(timings[False]),
        "with_queries": queries[True],
        "without_queries": queries[False],
    }


def plan(labels):
    """(layer, page label, with, without, cold) of every comparison of the layers asked."""
    rows = []
    for label in ("home", "news", "news, cluster filter", "projects", "search", "article"):
        rows.append(("page-cache", label, state(), state("page"), False))
    for label in labels:
        if "download" not in label:
            rows.append(("query-cache", label, state(*RENDERED), state(*RENDERED, RESULTS), False))
    for label in labels:
        if label.startswith("news") and "search" not in label:
            rows.append(("kept-counts", label, state(), state(live_counts=True), True))
    for label in labels:
        if label.startswith("API"):
            rows.append(("api-cache", label, state(), state("api-answer"), False))
        if "download" in label:
            rows.append(("downloads", label, state(), state("download"), False))
    for label in ("home", "article"):
        rows.append(("social-cards", label, state("page"), state("page", "social-card"), False))
    return rows


def breakdown(client, pages, runs):
    """The query cache by kind: each kind off alone, on the pages that keep it."""
    rows = []
    for label, url in pages.items():
        if "download" in label:
            continue
        kinds = set()
        with state(*RENDERED, seen=kinds)():
            clear_caches()
            timed(client, url)
            timed(client, url)  # a search keeps what it computes when asked again
        for kind in sorted(kinds - NOT_RESULTS):
            figures = compare(client, url, state(*RENDERED), state(*RENDERED, kind), runs)
            rows.append({"layer": kind, "label": label, **figures})
            say(f"  query-cache, {kind}: {label}: {line(figures)}")
    return rows


def workflow_dashboard(runs):
    """The admin home of a superuser, with and without the kept workflow lists."""
    user, _created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    figures = compare(client, "/admin/", state(), state("workflow-dashboard"), runs)
    return {"layer": "workflow-dashboard", "label": "admin home", **figures}


def social_cards_on_object_storage(client, pages, runs):
    """Home and an article with media on object storage (SeaweedFS's S3 gateway, as the
    tests start it), where the layer saves a request to the store per render."""
    binary = weed_binary()
    if binary is None:
        say("  social-cards on object storage: weed is not installed (dev extras); skipped")
        return []
    server = SeaweedFS(binary).start()
    try:
        config = server.config(f"bench{uuid.uuid4().hex[:12]}")
        objectstore.client(config).create_bucket(Bucket=config["bucket"])
        storage = {"BACKEND": "inotomsk.storage.MediaStorage"}
        storage["OPTIONS"] = objectstore.storage_options(config)
        rows = []
        with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
            for label in ("home", "article"):
                with_layer, without = state("page"), state("page", "social-card")
                figures = compare(client, pages[label], with_layer, without, runs)
                rows.append({"layer": "social-cards (S3)", "label": label, **figures})
                say(f"  social-cards (S3): {label}: {line(figures)}")
            # What a render without the layer adds: one existence check at the store.
            probes = []
            for _probe in range(25):
                started = time.perf_counter()
                storages["default"].exists("social/bench-probe.png")
                probes.append((time.perf_counter() - started) * 1000)
        say(
            f"  social-cards (S3): one existence check at the store: {statistics.median(probes):.1f} ms"
        )
        rows[-1]["store_ms"] = statistics.median(probes)
        return rows
    finally:
        server.stop()


def line(figures):
    return (
        f"{figures['with_ms']:.1f} ms with ({figures['with_queries']} queries), "
        f"{figures['without_ms']:.1f} ms without ({figures['without_queries']})"
    )


def version_stamp(calls=10_000):
    """Microseconds per read of the version stamp, which every request makes once."""
    started = time.perf_counter()
    for _call in range(calls):
        read_stamp()
    return (time.perf_counter() - started) / calls * 1e6


def run(args, wanted):
    settings.PAGE_CACHE_SECONDS = 600  # the layers that answer whole requests need it on
    every = selected([*pages_to_measure(), *more_pages()], args.pages)
    pages = {label: url for label, url, _kind in every}
    client = Client()
    results = []
    for layer, label, on, off, cold in plan(list(pages)):
        if layer not in wanted:
            continue
        runs = args.cold_runs if cold or layer == "downloads" else args.runs
        try:
            figures = compare(client, pages[label], on, off, runs, cold)
        except Exception as error:  # a broken page is reported, not fatal
            say(f"  {layer}: {label}: {type(error).__name__}: {error}")
            continue
        results.append({"layer": layer, "label": label, **figures})
        say(f"  {layer}: {label}: {line(figures)}")
    if "social-cards" in wanted:
        results += social_cards_on_object_storage(client, pages, args.runs)
    if "workflow-dashboard" in wanted:
        results.append(workflow_dashboard(args.runs))
    kinds = breakdown(client, pages, args.cold_runs) if "query-cache" in wanted else []
    stamp = version_stamp() if "version-stamp" in wanted else None
    return results, kinds, stamp


def cells(r):
    return [
        r["layer"],
        r["label"],
        f"{r['with_ms']:.1f}",
        f"{r['without_ms']:.1f}",
        f"{r['without_ms'] / r['with_ms']:.2f}",
        f"{r['with_queries']} / {r['without_queries']}",
    ]


def main(args, seed_seconds, load_average):
    wanted = LAYERS if args.layers == "all" else [w.strip() for w in args.layers.split(",")]
    unknown = set(wanted) - set(LAYERS)
    if unknown:
        raise SystemExit(
            f"Unknown layers: {', '.join(sorted(unknown))}; known: {', '.join(LAYERS)}"
        )
    say("Comparing the cache layers in process, each on and off in turn")
    results, kinds, stamp = run(args, wanted)
    lines = context(args, seed_seconds, load_average)
    lines.append(
        f"with / without ms: medians of {args.runs} warm renders ({args.cold_runs} for the kept "
        "counts, every cache emptied before each, and for downloads), with and without the "
        "layer in turn; ratio: without / with"
    )
    lines.append("")
    header = ["layer", "page", "with ms", "without ms", "ratio", "queries with / without"]
    lines += table(header, [cells(r) for r in results])
    if kinds:
        lines += ["", "The query cache by kind (each kind off alone):", ""]
        lines += table(["kind", *header[1:]], [cells(k) for k in kinds])
    for r in results:
        if "store_ms" in r:
            lines.append(f"One existence check at the object store: {r['store_ms']:.1f} ms")
    if stamp is not None:
        lines += [
            "",
            f"Version stamp ({'a file' if stamp_path() else 'none: a shared cache'}): "
            f"{stamp:.1f} µs per read, one read per request",
        ]
    write_results(
        "\n".join(lines), {"layers": results, "kinds": kinds, "stamp_us": stamp}, "-layers"
    )
    return 0
