"""Cold renders with the code of another tree, one at a time, as commits.py asks.

Run by commits.py as ``python bench/cold_worker.py TREE`` with the bench environment (the
tree's settings and database). It prints the pages it found ({label: URL}, JSON), then, for
each label read from its input, renders that page once with every cache emptied first and
prints its time on the clock, this process's CPU time (ms), its queries and status. It imports
nothing of this tree but pages.py, loaded by its path, so an older commit runs its own code.
"""

import importlib.util
import json
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
    path = Path(__file__).with_name("pages.py")
    spec = importlib.util.spec_from_file_location("bench_pages", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {label: url for label, url, _kind in module.pages_to_measure()}


def cold(client, url):
    """One render of ``url`` with every cache emptied first."""
    for kept in caches.all():
        kept.clear()
    with CaptureQueriesContext(connection) as queries:
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url)
        ms, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - used) * 1000
    return {
        "ms": ms,
        "cpu_ms": cpu,
        "queries": len(queries.captured_queries),
        "status": response.status_code,
    }


def main():
    settings.PAGE_CACHE_SECONDS = 0  # render every time
    client = Client()
    pages = load_pages()
    print(json.dumps(pages), flush=True)
    for line in sys.stdin:
        print(json.dumps(cold(client, pages[line.strip()])), flush=True)


main()
