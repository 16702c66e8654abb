"""gunicorn settings, read by ``gunicorn inotomsk.wsgi`` when started in the project root.

Environment: PORT (default 8000) and WEB_CONCURRENCY (worker processes). TLS and request logs
are the reverse proxy's job.
"""

import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
if os.environ.get("REDIS_URL"):
    workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
else:
    # Without Redis the page cache lives in process memory, and an edit ends the cached pages
    # of its own process only: one process with threads keeps every page current.
    workers = int(os.environ.get("WEB_CONCURRENCY", 1))
    threads = 8
# Restart each worker now and then so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
timeout = 30
# The proxy terminates TLS and sets X-Forwarded-Proto; trusted from its addresses only, the same
# DJANGO_TRUSTED_PROXIES that tells Django whose client-address header to believe.
forwarded_allow_ips = os.environ.get("DJANGO_TRUSTED_PROXIES", "").replace(" ", "") or "127.0.0.1"


# Metrics of several workers (public/metrics.py): with PROMETHEUS_MULTIPROC_DIR set, each
# worker writes its counts to files there, emptied at start; a worker that exits leaves its
# counts for the totals, and its gauges are dropped.
def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
