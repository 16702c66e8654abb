"""/healthz reports the database, cache, object store and task queue separately; only the
database decides between 200 and 503; nothing secret is in it."""

import time

import pytest
from django.conf import settings as django_settings

from inotomsk import objectstore
from public import health

pytestmark = pytest.mark.django_db


def queue_status():
    return {"depth": 7, "failures": 2}


def unreachable_queue():
    raise ConnectionError("broker at 10.0.0.5 refused")


def components(client):
    response = client.get("/healthz")
    return response, response.json()["components"]


def test_every_component_is_reported_on_its_own(client):
    response, parts = components(client)
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert response["Cache-Control"] == "no-store"
    assert parts == {
        "database": {"status": "ok", "required": True},
        "cache": {"status": "ok", "backend": "local-memory", "required": False},
        "object_store": {"status": "ok", "backend": "filesystem", "required": False},
        "task_queue": {"status": "not_configured", "required": False},
    }
    body = response.content.decode()
    assert django_settings.SECRET_KEY not in body and str(django_settings.MEDIA_ROOT) not in body


def test_the_task_queue_hook_is_reported(client, settings):
    settings.TASK_QUEUE_STATUS = "tests.test_health.queue_status"
    response, parts = components(client)
    assert parts["task_queue"] == {"status": "ok", "depth": 7, "required": False}
    settings.TASK_QUEUE_STATUS = "tests.test_health.unreachable_queue"
    response, parts = components(client)
    assert response.status_code == 200 and response.json()["status"] == "degraded"
    assert parts["task_queue"] == {"status": "unavailable", "required": False}
    assert "10.0.0.5" not in response.content.decode()


def point_storage_at(settings, endpoint_url, bucket="media"):
    config = objectstore.s3_config(
        {
            "DJANGO_S3_BUCKET": bucket,
            "DJANGO_S3_ENDPOINT_URL": endpoint_url,
            "DJANGO_S3_ACCESS_KEY": "k",
            "DJANGO_S3_SECRET_KEY": "s",
        }
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "inotomsk.storage.MediaStorage",
            "OPTIONS": objectstore.storage_options(config),
        },
    }


def test_an_object_store_that_does_not_answer_degrades_but_pages_go_on(client, settings):
    point_storage_at(settings, "http://127.0.0.1:1")  # nothing listens there
    started = time.monotonic()
    response, parts = components(client)
    assert time.monotonic() - started < 5
    assert response.status_code == 200 and response.json()["status"] == "degraded"
    assert parts["object_store"] == {"status": "unavailable", "backend": "s3", "required": False}
    assert "127.0.0.1:1" not in response.content.decode()
    assert client.get("/").status_code == 200


def test_a_live_object_store_is_up(client, bucket):
    response, parts = components(client)
    assert parts["object_store"] == {"status": "ok", "backend": "s3", "required": False}
    assert response.json()["status"] == "ok"


def test_a_filesystem_media_folder_that_cannot_be_written_is_reported(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert components(client)[1]["object_store"]["status"] == "ok"  # made with the first upload
    (tmp_path / "media").mkdir()
    (tmp_path / "media").chmod(0o500)
    try:
        if health.object_store()["status"] == "ok":
            pytest.skip("running as root: every folder is writable")
        assert components(client)[1]["object_store"]["status"] == "unavailable"
    finally:
        (tmp_path / "media").chmod(0o700)
