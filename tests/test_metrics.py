"""/metrics: Prometheus' text format for operators only (a token and/or networks, else 404);
latency by view, the page cache's hits and misses, the content version, the components and
the task queue hook; counts of several worker processes added up (multiprocess mode)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import resolve
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from public.caching import current_version

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-for-tests"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_NETWORKS = []
    return settings


def scrape(**headers):
    return Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)


def samples(response):
    """{(name, frozenset(labels)): value} of a scrape."""
    text = response.content.decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def requests_of(view, status="2xx"):
    labels = {"view": view, "method": "GET", "status": status}
    return REGISTRY.get_sample_value("inotomsk_request_duration_seconds_count", labels) or 0


def test_no_metrics_without_configuration(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_NETWORKS = []
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get("/metrics").status_code == 404


def test_the_token_is_required(metrics_on, client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 404
    response = scrape()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert response["Cache-Control"] == "no-store"


def test_allowed_networks_and_the_token_must_both_match_when_both_are_set(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_NETWORKS = ["10.0.0.0/8"]
    assert Client().get("/metrics").status_code == 404  # 127.0.0.1
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    settings.METRICS_TOKEN = TOKEN
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 404
    assert scrape(REMOTE_ADDR="10.1.2.3").status_code == 200
    assert scrape().status_code == 404


def test_request_latency_is_counted_by_view(metrics_on, client):
    view = resolve("/news/").view_name
    before = requests_of(view)
    assert client.get("/news/").status_code == 200
    assert client.get("/news/").status_code == 200
    assert requests_of(view) == before + 2
    assert client.get("/no-such-page/").status_code == 404
    found = samples(scrape())
    key = ("inotomsk_request_duration_seconds_count", frozenset(
        {"view": view, "method": "GET", "status": "2xx"}.items()
    ))  # fmt: skip
    assert found[key] == before + 2
    buckets = [
        value
        for (name, labels), value in found.items()
        if name == "inotomsk_request_duration_seconds_bucket" and ("view", view) in labels
    ]
    assert buckets and max(buckets) == before + 2


def test_page_cache_hits_and_misses(metrics_on, client):
    metrics_on.PAGE_CACHE_SECONDS = 600

    def count(result):
        labels = {"result": result}
        return REGISTRY.get_sample_value("inotomsk_page_cache_requests_total", labels) or 0

    hits, misses, cached = count("hit"), count("miss"), requests_of("page_cache")
    client.get("/news/")
    client.get("/news/")
    client.get("/news/")
    assert (count("hit"), count("miss")) == (hits + 2, misses + 1)
    assert requests_of("page_cache") == cached + 2


def test_content_version_components_and_task_queue(metrics_on):
    found = samples(scrape())
    started = found[("inotomsk_content_version_start_timestamp_seconds", frozenset())]
    assert started == pytest.approx(current_version().started_at.timestamp())
    assert found[("inotomsk_component_up", frozenset({"component": "database"}.items()))] == 1
    assert ("inotomsk_component_up", frozenset({"component": "task_queue"}.items())) not in found
    assert not any(name.startswith("inotomsk_task_") for name, _labels in found)

    metrics_on.TASK_QUEUE_STATUS = "tests.test_health.queue_status"
    found = samples(scrape())
    assert found[("inotomsk_task_queue_depth", frozenset())] == 7
    assert found[("inotomsk_task_failures_total", frozenset())] == 2
    assert found[("inotomsk_component_up", frozenset({"component": "task_queue"}.items()))] == 1


WORKER = """
import os, sys
import django
django.setup()
from django.test import Client
from public import metrics
if sys.argv[1] == "serve":
    for _ in range(3):
        assert Client().get("/robots.txt").status_code == 200
else:
    metrics.PortalCollector.collect = lambda self: iter(())  # the database is not set up here
    response = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer " + os.environ["TOKEN"])
    sys.stdout.write(response.content.decode())
"""


def test_several_processes_add_up_in_multiprocess_mode(tmp_path):
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "inotomsk.settings_test",
        "DJANGO_METRICS_TOKEN": TOKEN,
        "TOKEN": TOKEN,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }

    def run(mode):
        result = subprocess.run(
            [sys.executable, "-c", WORKER, mode],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    run("serve")
    run("serve")
    text = run("scrape")
    families = {
        (sample.name, sample.labels.get("view")): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    assert families[("inotomsk_request_duration_seconds_count", "robots")] == 6
