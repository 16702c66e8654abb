"""Benchmark settings: production settings plus a trivial view to compare against.

Never used in production; the trivial view exists only in bench/urls.py.
"""

import os

from inotomsk.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PAGE_CACHE_SECONDS = int(os.environ.get("BENCH_PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_EXCLUDE = [*PAGE_CACHE_EXCLUDE, "/bench/"]  # noqa: F405
# The load comes from one address: the API's counter per address still runs (its cost is
# measured) but never refuses.
API_THROTTLE_RATE = "100000000/min"
DOWNLOAD_THROTTLE_RATE = None  # the same for the downloads' limit per client
# Request and task logs would measure the terminal, not the site; they would also mix with the
# JSON lines the cold workers of `--against` answer on stdout (bench/commits.py).
LOGGING = {  # noqa: F405
    **LOGGING,  # noqa: F405
    "loggers": {
        **LOGGING["loggers"],  # noqa: F405
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
    },
}
