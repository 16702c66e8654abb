"""Renditions made by the worker, off the request (the database task backend): the upload
returns without them, pages show the original at its size meanwhile, the worker makes them;
a run killed or failing while writing leaves no half file, and the task runs again."""

import io
import os
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from cms.renditions import rendition_name, renditions_ready
from news.models import Article
from portal.images import tasks as rendition_tasks

from . import factories

# The worker closes the connection between tasks, as in production: real transactions.
pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_PATH = "portal.images.tasks.make_renditions"


@pytest.fixture
def queued(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = DATABASE_QUEUE
    return Path(settings.MEDIA_ROOT)


def jpeg(size=(2000, 1000)):
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format="JPEG")
    return SimpleUploadedFile("river.jpg", out.getvalue(), content_type="image/jpeg")


def upload(admin_client, article, capture):
    local = timezone.localtime(article.published_at)
    form = {
        "title": article.title,
        "slug": article.slug,
        "status": article.status,
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
        "lead": article.lead,
        "body": article.body,
        "source": article.source,
        "source_url": article.source_url,
        "image": jpeg(),
        "image_alt": "The Tom river",
    }
    with capture(execute=True):
        response = admin_client.post(reverse("admin:news_article_change", args=[article.pk]), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(pk=article.pk).image.name


def stored(media):
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def picture_of(page, name):
    """The <img> of the stored picture ``name`` on a page."""
    start = page.index(f'src="/media/{name}') if f'src="/media/{name}' in page else None
    if start is None:
        start = page.index(f"/media/{rendition_name(name, 800)}")
    return page[page.rindex("<img", 0, start) : page.index(">", start) + 1]


def test_the_upload_returns_first_and_pages_show_the_original_until_the_worker_runs(
    admin_client, queued, client, django_capture_on_commit_callbacks
):
    article = factories.article()
    name = upload(admin_client, article, django_capture_on_commit_callbacks)

    assert stored(queued) == [name]  # no rendition was made in the request
    assert DBTaskResult.objects.ready().filter(task_path=TASK_PATH).count() == 1
    img = picture_of(client.get(article.get_absolute_url()).content.decode(), name)
    assert f'src="/media/{name}"' in img and 'width="2000" height="1000"' in img
    assert "renditions/" not in img  # never a link to a file not made yet
    listing = admin_client.get(reverse("admin:news_article_changelist")).content.decode()
    assert f'src="/media/{name}"' in listing  # the admin's thumbnail too

    call_command("run_worker", "--once")

    made = {rendition_name(name, w) for w in (400, 800, 1600)}
    assert set(stored(queued)) == {name, *made}
    assert DBTaskResult.objects.get(task_path=TASK_PATH).status == "SUCCESSFUL"
    img = picture_of(client.get(article.get_absolute_url()).content.decode(), name)
    assert f'src="/media/{rendition_name(name, 800)}"' in img
    assert f"/media/{rendition_name(name, 1600)} 1600w" in img and 'width="2000"' in img
    for width in (400, 800, 1600):
        with Image.open(queued / rendition_name(name, width)) as rendition:
            assert rendition.format == "WEBP" and rendition.size == (width, width // 2)


def test_a_worker_killed_while_writing_leaves_no_half_file_and_the_task_runs_again(
    admin_client, queued, django_capture_on_commit_callbacks
):
    name = upload(admin_client, factories.article(), django_capture_on_commit_callbacks)
    # What a worker killed (SIGKILL) in the middle of the 400 px rendition leaves: the two
    # larger ones whole, half of the third under a temporary name, its task "running".
    call_command("run_worker", "--once")
    smallest = queued / rendition_name(name, 400)
    part = smallest.with_name(f".{smallest.name}.k1ll3d.part")
    part.write_bytes(smallest.read_bytes()[:100])
    smallest.unlink()
    DBTaskResult.objects.filter(task_path=TASK_PATH).update(
        status="RUNNING", started_at=timezone.now() - timedelta(hours=1)
    )
    cache.clear()  # a killed worker never got to mark them ready
    assert not renditions_ready(Article.objects.get().image, 2000)  # pages show the original

    call_command("run_worker", "--once")  # puts the stale task back, runs it

    assert DBTaskResult.objects.get(task_path=TASK_PATH).status == "SUCCESSFUL"
    assert not list(queued.rglob("*.part"))
    with Image.open(smallest) as rendition:
        rendition.load()  # whole: decodes to the end
        assert rendition.size == (400, 200)


def test_a_run_failing_mid_write_leaves_nothing_and_is_retried_after_a_wait(
    admin_client, queued, django_capture_on_commit_callbacks
):
    name = upload(admin_client, factories.article(), django_capture_on_commit_callbacks)
    writes = []

    def disk_fails_after_half(descriptor):
        writes.append(descriptor)
        raise OSError(28, "No space left on device")

    with mock.patch("cms.uploads.os.fsync", side_effect=disk_fails_after_half):
        call_command("run_worker", "--once")

    assert writes and stored(queued) == [name]  # no rendition, no temporary file
    first, retry = DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at")
    assert first.status == "SUCCESSFUL" and first.return_value == "retrying"
    assert retry.status == "READY" and retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now() + timedelta(seconds=50)
    call_command("run_worker", "--once")
    assert DBTaskResult.objects.get(pk=retry.pk).status == "READY"  # not due yet

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("run_worker", "--once")
    assert DBTaskResult.objects.get(pk=retry.pk).return_value == "made"
    assert len(stored(queued)) == 4


def test_the_last_failure_stays_a_failed_task(
    queued, admin_client, django_capture_on_commit_callbacks
):
    name = upload(admin_client, factories.article(), django_capture_on_commit_callbacks)
    DBTaskResult.objects.all().delete()
    article = Article.objects.get()
    last = rendition_tasks.MAX_ATTEMPTS
    result = rendition_tasks.make_renditions.enqueue(
        article._meta.label, article.pk, "image", name, attempt=last
    )
    with mock.patch("cms.uploads.os.replace", side_effect=OSError("read-only")):
        call_command("run_worker", "--once")
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1  # no more retries
    assert stored(queued) == [name]


def test_a_replaced_picture_is_not_processed(
    queued, admin_client, django_capture_on_commit_callbacks
):
    article = factories.article()
    first = upload(admin_client, article, django_capture_on_commit_callbacks)
    second = upload(admin_client, Article.objects.get(), django_capture_on_commit_callbacks)
    call_command("run_worker", "--once")
    runs = DBTaskResult.objects.filter(task_path=TASK_PATH)
    results = dict(runs.values_list("args_kwargs__args__3", "return_value"))
    assert results == {first: "superseded", second: "made"}
    assert not os.path.exists(queued / rendition_name(first, 400))


def test_the_worker_writes_renditions_to_object_storage(
    bucket, settings, admin_client, client, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    article = factories.article()
    name = upload(admin_client, article, django_capture_on_commit_callbacks)
    assert bucket.names() == {name}
    assert "renditions/" not in picture_of(
        client.get(article.get_absolute_url()).content.decode(), name
    )

    call_command("run_worker", "--once")

    assert bucket.names() == {name, *(rendition_name(name, w) for w in (400, 800, 1600))}
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"/media/{rendition_name(name, 800)}" in picture_of(page, name)
    # Run again (a retry, a second worker): nothing to do, nothing written twice.
    again = rendition_tasks.make_renditions.enqueue(article._meta.label, article.pk, "image", name)
    call_command("run_worker", "--once")
    assert DBTaskResult.objects.get(pk=again.id).return_value == "complete"


def test_a_picture_saved_in_code_is_queued_with_its_new_row(queued):
    # Outside a transaction (a command, a shell): queued once the row has its key.
    article = factories.article(image=jpeg(), image_alt="The Tom river")
    task = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert task.args_kwargs["args"] == ["news.Article", article.pk, "image", article.image.name]
    call_command("run_worker", "--once")
    assert len(stored(queued)) == 4


def test_renditions_that_never_come_cost_one_file_check_a_minute(
    admin_client, queued, django_capture_on_commit_callbacks
):
    name = upload(admin_client, factories.article(), django_capture_on_commit_callbacks)
    image = Article.objects.get().image
    store = type(image.storage._wrapped)  # the default storage's class, behind its proxy
    with mock.patch.object(store, "exists", return_value=False) as exists:
        for _ in range(5):  # five pages with the picture, no worker
            assert not renditions_ready(image, 2000)
    assert exists.call_count == 1

    call_command("run_worker", "--once")  # the worker says when they are there

    with mock.patch.object(store, "exists") as exists:
        assert renditions_ready(image, 2000)
    assert exists.call_count == 0
    assert name == image.name
