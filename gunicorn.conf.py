"""gunicorn settings, read by ``gunicorn inotomsk.wsgi`` when started in the project root.

Environment: PORT (default 8000), WEB_CONCURRENCY (worker processes, read by gunicorn itself;
default two per CPU plus one). TLS and request logs are the reverse proxy's job.
"""

import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Restart each worker now and then so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
timeout = 30
# The proxy on this host terminates TLS and sets X-Forwarded-Proto; trust it from here only.
forwarded_allow_ips = "127.0.0.1"
