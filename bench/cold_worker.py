"""One round of cold renders of every public page, with the code of another tree; prints JSON.

Run by commits.py as ``python bench/cold_worker.py TREE COLD_RUNS`` with the bench
environment: the tree's settings and database. It imports nothing of this tree but pages.py,
loaded by its path, so an older commit is measured with its own code only.
"""

import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

# The tree measured comes first, in place of this folder (whose bench.py would shadow the
# tree's bench package and its settings).
sys.path[0] = str(Path(sys.argv[1]).resolve())

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def load_pages():
    spec = importlib.util.spec_from_file_location(
        "bench_pages", Path(__file__).with_name("pages.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.pages_to_measure()


def cold(client, url, runs):
    """Times (wall and this process's CPU, ms) and queries of ``runs`` renders of ``url``, every cache emptied before each."""
    client.get(url)  # loads code and templates, as a running server has
    timings, cpu = [], []
    for _run in range(runs):
        for kept in caches.all():
            kept.clear()
        with CaptureQueriesContext(connection) as queries:
            started, used = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
    return {
        "status": response.status_code,
        "ms": timings,
        "cpu_ms": cpu,
        "median_ms": statistics.median(timings),
        "queries": len(queries.captured_queries),
    }


def main():
    settings.PAGE_CACHE_SECONDS = 0  # render every time
    client = Client()
    runs = int(sys.argv[2])
    wanted = [word for word in (sys.argv[3] if len(sys.argv) > 3 else "").split(",") if word]
    figures = {}
    for label, url, _kind in load_pages():
        if not wanted or any(word in label for word in wanted):
            figures[label] = {"url": url, **cold(client, url, runs)}
    print(json.dumps(figures))


main()
