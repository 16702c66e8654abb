"""Settings: caches and the page cache, metrics, background tasks, e-mail and logging."""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

from workflow import email_url

from .base import env_flag, env_list
from .files import MEDIA_URL

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers a miss when Redis is down or slow (public/cache_backend.py).
            "BACKEND": "public.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Pages and query results of one process; room for many filter combinations.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Whole public pages are cached for anonymous visitors until content changes (public/caching.py);
# 0 turns the page cache off.
PAGE_CACHE_SECONDS = 600
# The API keeps its answers itself (api/views/), keyed by all of its parameters.
PAGE_CACHE_EXCLUDE = ["/admin/", "/healthz", "/metrics", MEDIA_URL, "/api/"]
# Subscription pages carry forms and personal links: never kept.
PAGE_CACHE_EXCLUDE += ["/subscribe/", "/ru/subscribe/"]
# Preview links (workflow/preview.py) are personal: never looked up or kept, in either language.
PAGE_CACHE_EXCLUDE += ["/preview/", "/ru/preview/"]

# Metrics for operators at /metrics (public/metrics.py, docs/deployment.md): a 404 unless the
# request brings this bearer token and/or comes from these networks (each one set must match).
METRICS_TOKEN = os.environ.get("DJANGO_METRICS_TOKEN", "").strip()
METRICS_NETWORKS = env_list("DJANGO_METRICS_NETWORKS")
for _network in METRICS_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DJANGO_METRICS_NETWORKS: {_network!r} is not an IP address or network."
        ) from None
# The task queue's state for /healthz and /metrics: a dotted path to a function returning
# {"depth": n, "failures": n} (public/health.py); empty until a queue exists.
TASK_QUEUE_STATUS = ""

# Background tasks (django-tasks; docs/operations.md, "The worker and mail"). "immediate" runs
# each task at once in the process that asks (make run, the tests); "database" queues it for
# the worker started by `manage.py run_worker`.
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "immediate").strip().lower()
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    TASK_QUEUE_STATUS = "workflow.tasks.queue_status"
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured("DJANGO_TASKS_BACKEND is 'immediate' or 'database'.")

# E-mail from an SMTP URL, e.g. smtp://user:password@host:587?tls=1 (workflow/email_url.py);
# unset, messages are written to the console.
try:
    EMAIL_SETTINGS = email_url.parse(os.environ.get("DJANGO_EMAIL_URL", ""))
except ValueError as error:
    raise ImproperlyConfigured(f"DJANGO_EMAIL_URL: {error}") from None
EMAIL_BACKEND = EMAIL_SETTINGS["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_SETTINGS["EMAIL_HOST"]
EMAIL_PORT = EMAIL_SETTINGS["EMAIL_PORT"]
EMAIL_HOST_USER = EMAIL_SETTINGS["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = EMAIL_SETTINGS["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = EMAIL_SETTINGS["EMAIL_USE_TLS"]
EMAIL_USE_SSL = EMAIL_SETTINGS["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = EMAIL_SETTINGS["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = (
    os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "").strip() or "webmaster@localhost"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where messages sent with the form on /contact/ are e-mailed (contact/tasks.py); unset, they
# are only kept for staff in the admin.
CONTACT_EMAIL = os.environ.get("DJANGO_CONTACT_EMAIL", "").strip()
if CONTACT_EMAIL and (CONTACT_EMAIL.count("@") != 1 or any(c in CONTACT_EMAIL for c in " ,;<>")):
    raise ImproperlyConfigured("DJANGO_CONTACT_EMAIL must be one e-mail address.")
# The site's address, for the links in e-mails (no request there to take it from).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://localhost:8000").strip().rstrip("/")
# The link checker (workflow/linkcheck.py) refuses addresses in private and loopback networks
# unless this is on (the tests' local server).
LINKCHECK_ALLOW_PRIVATE = env_flag("DJANGO_LINKCHECK_ALLOW_PRIVATE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (4xx) is one line without its traceback (inotomsk/logfilters.py).
    "filters": {"refused_requests": {"()": "inotomsk.logfilters.RefusedRequestFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["refused_requests"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
