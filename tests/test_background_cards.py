"""Social cards drawn by the worker (the database task backend): a page never waits for one
and never names a card not stored; it names the site's card (or none) until the worker ran."""

import re

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from PIL import Image

from . import factories

# The worker closes the connection between tasks, as in production: real transactions.
pytestmark = pytest.mark.django_db(transaction=True)
TASK_PATH = "public.social_cards.draw_social_card"


@pytest.fixture
def queued(settings, tmp_path, no_page_cache):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return tmp_path


def og_image(html):
    match = re.search(r'<meta property="og:image" content="([^"]*)"', html)
    return match and match.group(1)


def cards(media):
    return sorted(str(p.relative_to(media)) for p in (media / "social").rglob("*.png"))


def test_pages_name_only_stored_cards_while_the_worker_draws_them(client, queued):
    project = factories.project(is_published=True, name="Siberian hydrogen")
    url = project.get_absolute_url()

    assert og_image(client.get(url).content.decode()) is None  # nothing stored yet
    assert not (queued / "social").exists()
    # The project's card and the site's, each queued once however often pages ask.
    client.get(url)
    client.get("/")
    waiting = DBTaskResult.objects.ready().filter(task_path=TASK_PATH)
    assert sorted(r.args_kwargs["args"][0].split("/")[1] for r in waiting) == ["project", "site"]

    project_task = DBTaskResult.objects.get(args_kwargs__args__0__startswith="social/project/")
    DBTaskResult.objects.filter(pk=project_task.pk).update(status="FAILED")  # kept for later
    call_command("run_worker", "--once")
    [site_card] = cards(queued)
    assert site_card.startswith("social/site/")
    # The project's card is not drawn: its page shows the site's meanwhile.
    assert og_image(client.get(url).content.decode()).endswith(f"/media/{site_card}")

    DBTaskResult.objects.filter(pk=project_task.pk).update(status="READY")
    call_command("run_worker", "--once")
    project_card = next(name for name in cards(queued) if name.startswith("social/project/"))
    assert og_image(client.get(url).content.decode()).endswith(f"/media/{project_card}")
    with Image.open(queued / project_card) as picture:
        picture.load()  # whole
        assert picture.size == (1200, 630) and picture.format == "PNG"
    assert not list(queued.rglob("*.part"))
    # Run again (a retry, a second worker): nothing is drawn twice.
    again = DBTaskResult.objects.get(pk=project_task.pk)
    assert again.return_value == "drawn"
    DBTaskResult.objects.filter(pk=project_task.pk).update(status="READY")
    call_command("run_worker", "--once")
    assert DBTaskResult.objects.get(pk=project_task.pk).return_value == "complete"


def test_the_immediate_backend_draws_the_card_in_the_request(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    project = factories.project(is_published=True)
    image = og_image(client.get(project.get_absolute_url()).content.decode())
    assert "/media/social/project/" in image
    assert (tmp_path / image.split("/media/", 1)[1]).is_file()
    assert not DBTaskResult.objects.exists()
