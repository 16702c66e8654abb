"""Metrics for operators at /metrics, in the text format Prometheus scrapes (prometheus_client).

Not public: a 404 unless the request brings the bearer token ``DJANGO_METRICS_TOKEN`` and/or
comes from one of the networks ``DJANGO_METRICS_NETWORKS`` (each one set must match; with
neither set, the endpoint does not exist and nothing is measured). Series:

- ``inotomsk_request_duration_seconds{view,method,status}``: a histogram of every request's
  time, by the view's URL name (``page_cache`` for pages the page cache served whole);
- ``inotomsk_page_cache_requests_total{result}``: the page cache's hits and misses (hit ratio:
  ``rate(…{result="hit"}) / rate(sum …)``);
- ``inotomsk_content_version_start_timestamp_seconds``: when the current content version
  began (the last content change), and ``…_end_timestamp_seconds`` for the next scheduled
  publication, if any;
- ``inotomsk_component_up{component}``: 1 or 0 for the database, cache, object store and task
  queue, as /healthz checks them (public/health.py);
- ``inotomsk_task_queue_depth`` and ``inotomsk_task_failures_total``: from the
  ``TASK_QUEUE_STATUS`` hook, only once a task queue provides it.

gunicorn with several workers: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder writable by
the workers; every worker then writes its counts there and any one answers for all
(gunicorn.conf.py empties it at start and drops the files of workers that exit).
"""

import hmac
import ipaddress
import os
import time
from functools import cache

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from cms.addresses import client_address

from . import health
from .caching import current_version

REQUEST_SECONDS = Histogram(
    "inotomsk_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PAGE_CACHE = Counter(
    "inotomsk_page_cache_requests", "Page cache look-ups, by result (hit, miss).", ["result"]
)
# The text format every Prometheus reads (our names need nothing newer).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def is_enabled():
    return bool(settings.METRICS_TOKEN or settings.METRICS_NETWORKS)


@cache
def _networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def is_allowed(request):
    """The token and the network, each where configured; never when neither is."""
    if not is_enabled():
        return False
    if settings.METRICS_TOKEN:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        expected = f"Bearer {settings.METRICS_TOKEN}"
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return False
    if settings.METRICS_NETWORKS:
        try:
            address = ipaddress.ip_address(client_address(request))
        except ValueError:
            return False
        if not any(address in network for network in _networks(tuple(settings.METRICS_NETWORKS))):
            return False
    return True


class MetricsMiddleware:
    """Times every request (outermost, so a page from the cache counts too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_enabled():
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        page_cache = getattr(request, "page_cache", None)
        if page_cache:
            PAGE_CACHE.labels(page_cache).inc()
        match = getattr(request, "resolver_match", None)
        if match is not None:
            view = match.view_name or match._func_path
        else:
            view = "page_cache" if page_cache == "hit" else "unmatched"
        method = request.method if request.method in METHODS else "other"
        status = f"{response.status_code // 100}xx"
        REQUEST_SECONDS.labels(view, method, status).observe(elapsed)
        return response


class PortalCollector:
    """Values read at each scrape: the content version, the components, the task queue."""

    def collect(self):
        version = current_version()
        started = GaugeMetricFamily(
            "inotomsk_content_version_start_timestamp_seconds",
            "When the current content version began (the last content change), Unix time.",
        )
        started.add_metric([], version.started_at.timestamp())
        yield started
        if version.ends_at is not None:
            ends = GaugeMetricFamily(
                "inotomsk_content_version_end_timestamp_seconds",
                "The next scheduled publication, which ends the content version, Unix time.",
            )
            ends.add_metric([], version.ends_at.timestamp())
            yield ends
        up = GaugeMetricFamily(
            "inotomsk_component_up",
            "1 when the component answers (as /healthz checks it), else 0.",
            labels=["component"],
        )
        for name, check in health.CHECKS.items():
            state = check()["status"]
            if state != health.NOT_CONFIGURED:
                up.add_metric([name], 1.0 if state == health.OK else 0.0)
        yield up
        try:
            queue = health.task_queue_status()
        except Exception:  # noqa: BLE001 - reported as component_up 0 above
            queue = None
        if queue is not None:
            depth = GaugeMetricFamily("inotomsk_task_queue_depth", "Tasks waiting to run.")
            depth.add_metric([], queue.get("depth", 0))
            yield depth
            failures = CounterMetricFamily("inotomsk_task_failures", "Tasks that failed.")
            failures.add_metric([], queue.get("failures", 0))
            yield failures


class _ThisProcess:
    """The default registry's series (this process's own counts, and process metrics)."""

    def collect(self):
        return REGISTRY.collect()


def metrics(request):
    """The metrics in Prometheus' text format; a 404 for anyone not allowed."""
    if not is_allowed(request):
        raise Http404()
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(PortalCollector())
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response
