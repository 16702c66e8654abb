"""Media on object storage, against a real S3-compatible server the tests start (SeaweedFS):
uploads, renditions and social cards are objects; pages link them on the site, which redirects
to signed links; the store refuses unsigned reads; documents download; unused objects are
pruned; bin/backup and bin/restore carry the bucket."""

import io
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cms.renditions import rendition_name
from inotomsk import objectstore
from news.models import Article
from programme.models import Document

from . import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, dict(answer.headers), answer.read()


def refused(url):
    """The HTTP status the store answers an anonymous read of ``url`` with."""
    with pytest.raises(urllib.error.HTTPError) as error:
        fetch(url)
    return error.value.code


def jpeg(size=(2000, 1000)):
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format="JPEG")
    return SimpleUploadedFile("river.jpg", out.getvalue(), content_type="image/jpeg")


def article_form(article, **overrides):
    local = timezone.localtime(article.published_at)
    return {
        "title": article.title,
        "slug": article.slug,
        "status": article.status,
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
        "lead": article.lead,
        "body": article.body,
        "source": article.source,
        "source_url": article.source_url,
        **overrides,
    }


def og_image(page):
    return page.split('property="og:image" content="', 1)[1].split('"', 1)[0]


def upload_picture(admin_client, article):
    url = reverse("admin:news_article_change", args=[article.pk])
    form = article_form(article, image=jpeg(), image_alt="The Tom river")
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(pk=article.pk).image.name


def test_an_uploaded_picture_its_renditions_and_social_card_are_objects_the_page_links(
    bucket, admin_client
):
    article = factories.article()
    name = upload_picture(admin_client, article)
    renditions = {rendition_name(name, width) for width in (400, 800, 1600)}
    assert {name, *renditions} <= bucket.names()
    assert not (Path(settings.MEDIA_ROOT) / name).exists()  # nothing on the filesystem

    page = Client().get(article.get_absolute_url()).content.decode()
    assert f'src="/media/{rendition_name(name, 800)}"' in page
    assert og_image(page) == f"http://testserver/media/{name}"
    # An entry without a picture gets a drawn social card, stored as an object.
    plain = factories.article()
    card = og_image(Client().get(plain.get_absolute_url()).content.decode())
    card_name = card.split("/media/", 1)[1]
    assert card_name.startswith(f"social/article/{plain.pk}-") and card_name in bucket.names()

    # The site's address redirects to a signed link, which the store answers.
    redirect = Client().get(f"/media/{rendition_name(name, 800)}")
    assert redirect.status_code == 302
    assert redirect["Location"].startswith(bucket.config["endpoint_url"])
    assert "X-Amz-Signature=" in redirect["Location"]
    status, headers, data = fetch(redirect["Location"])
    assert (status, headers["Content-Type"]) == (200, "image/webp")
    assert Image.open(io.BytesIO(data)).size == (800, 400)
    # The same object without a signature: the store refuses it.
    assert refused(bucket.unsigned_url(rendition_name(name, 800))) == 403
    # Renditions through the storage API: the command finds none missing.
    out = io.StringIO()
    call_command("renditions", stdout=out)
    assert bucket.names() >= renditions


def test_a_drafts_picture_is_not_readable_at_the_store_without_a_signature(bucket, admin_client):
    draft = factories.article(status=Article.Status.DRAFT)
    name = upload_picture(admin_client, draft)
    assert Client().get(draft.get_absolute_url()).status_code == 404
    for object_name in (name, rendition_name(name, 400)):
        assert object_name in bucket.names()
        assert refused(bucket.unsigned_url(object_name)) == 403
    # A crafted path never leaves the media: refused before the store is asked.
    for path in ("/media/../inotomsk/settings.py", "/media/a/%2e%2e/%2e%2e/x"):
        assert Client().get(path).status_code == 404


def make_document(title, published=True):
    document = Document(
        title=title,
        slug=title.lower().replace(" ", "-"),
        language="en",
        is_published=published,
        kind="report",
    )
    document.file = SimpleUploadedFile("doc.pdf", PDF, content_type="application/pdf")
    document.full_clean()
    document.save()
    return document


def test_documents_download_from_the_store_and_drafts_only_for_staff(bucket, admin_client):
    published = make_document("Report")
    draft = make_document("Draft", published=False)
    assert {published.file.name, draft.file.name} <= bucket.names()

    response = Client().get(published.get_absolute_url())
    assert response.status_code == 302 and response["Cache-Control"] == "no-store"
    status, headers, data = fetch(response["Location"])
    assert (status, data) == (200, PDF)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="report.pdf"'

    # A draft: not for visitors, not at the store unsigned, not under /media/; staff get it.
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert refused(bucket.unsigned_url(draft.file.name)) == 403
    assert Client().get(f"/media/{draft.file.name}").status_code == 404
    assert admin_client.get(f"/media/{draft.file.name}").status_code == 404
    staff = admin_client.get(draft.get_absolute_url())
    assert staff.status_code == 200 and "no-store" in staff["Cache-Control"]
    assert b"".join(staff.streaming_content) == PDF

    # A published document whose object is gone: a 404, not a link to nothing.
    bucket.s3.delete_object(Bucket=bucket.config["bucket"], Key=published.file.name)
    assert Client().get(published.get_absolute_url()).status_code == 404


def test_deleted_entries_objects_go_once_no_version_can_bring_them_back(bucket, admin_client):
    from reversion.models import Version

    article = factories.article()
    name = upload_picture(admin_client, article)
    kept = upload_picture(admin_client, factories.article())  # another entry's, kept
    plain = factories.article()
    Client().get(plain.get_absolute_url())  # draws its social card
    card = next(n for n in bucket.names() if n.startswith(f"social/article/{plain.pk}-"))
    document = make_document("Old report")

    delete_url = reverse("admin:news_article_delete", args=[article.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    document.delete()
    plain.delete()
    call_command("prune_media", "--min-age=0", stdout=io.StringIO())
    # "Recover deleted" can still bring the article back with its picture.
    assert {name, rendition_name(name, 400)} <= bucket.names()
    assert card not in bucket.names()  # its entry is gone: a card is drawn again if needed

    Version.objects.all().delete()  # as `manage.py deleterevisions` does
    out = io.StringIO()
    call_command("prune_media", "--min-age=0", "--dry-run", stdout=out)
    assert name in out.getvalue() and name in bucket.names()
    call_command("prune_media", "--min-age=0", stdout=io.StringIO())
    left = bucket.names()
    assert name not in left and not any(n.startswith(f"renditions/{name}.") for n in left)
    assert document.file.name not in left
    assert {kept, rendition_name(kept, 400)} <= left
    # Younger files are left alone (an upload whose row is not saved yet).
    orphan = "images/2026/orphan.jpg"
    bucket.s3.put_object(Bucket=bucket.config["bucket"], Key=orphan, Body=b"x")
    call_command("prune_media", stdout=io.StringIO())
    assert orphan in bucket.names()


def run(script, *args, env):
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, str(ROOT / "bin" / script), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_backup_and_restore_carry_the_bucket(bucket, tmp_path):
    import sqlite3

    names = {"images/2026/a.jpg": b"picture", "renditions/images/2026/a.jpg.400w.webp": b"w"}
    for name, body in names.items():
        bucket.s3.put_object(Bucket=bucket.config["bucket"], Key=name, Body=body)
    sqlite3.connect(tmp_path / "db.sqlite3").close()
    config = bucket.config
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_S3_BUCKET": config["bucket"],
        "DJANGO_S3_ENDPOINT_URL": config["endpoint_url"],
        "DJANGO_S3_ACCESS_KEY": config["access_key"],
        "DJANGO_S3_SECRET_KEY": config["secret_key"],
    }
    backup = run("backup", str(tmp_path / "backups"), env=env)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (manifest["bucket"], manifest["bucket_objects"]) == (config["bucket"], 2)

    # Into a new, empty bucket on the same store, as on a new machine.
    target = f"r{uuid.uuid4().hex[:16]}"
    restored = run(
        "restore",
        str(folder),
        env={**env, "DJANGO_S3_BUCKET": target, "DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}"},
    )
    assert restored.returncode == 0, restored.stderr
    assert "Restored 2 objects" in restored.stdout
    for name, body in names.items():
        answer = bucket.s3.get_object(Bucket=target, Key=name)
        assert answer["Body"].read() == body
    assert answer["ContentType"] == "image/webp"


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DJANGO_S3_BUCKET": "m", "DJANGO_S3_ACCESS_KEY": "k"}, "Set both"),
        ({"DJANGO_S3_BUCKET": "m", "DJANGO_S3_URL_EXPIRY": "soon"}, "number of seconds"),
        ({"DJANGO_S3_BUCKET": "m", "DJANGO_S3_ENDPOINT_URL": "s3.internal"}, "http://"),
    ],
)
def test_a_bad_setting_is_named(environment, message):
    with pytest.raises(ValueError, match=message):
        objectstore.s3_config(environment)


def test_without_a_bucket_media_stay_on_the_filesystem():
    assert objectstore.s3_config({"DJANGO_S3_ENDPOINT_URL": "http://s3:8333"}) is None
    config = objectstore.s3_config({"DJANGO_S3_BUCKET": "m", "DJANGO_S3_PUBLIC_URL": "https://m.x"})
    assert objectstore.media_origins(config) == ["https://m.x"]
    assert Client().get("/media/images/2026/a.jpg").status_code == 404  # the proxy's job


def test_prune_on_the_filesystem_keeps_what_a_text_names(admin_client):
    media = Path(settings.MEDIA_ROOT)
    named = upload_picture(admin_client, factories.article())
    gone = upload_picture(admin_client, factories.article())
    factories.article(body=f'<figure><img src="/media/{named}" alt="River"></figure>')
    from reversion.models import Version

    Article.objects.filter(image__in=[named, gone]).delete()
    Version.objects.all().delete()
    call_command("prune_media", "--min-age=0", stdout=io.StringIO())
    assert (media / named).exists()  # an article's text shows it
    assert not (media / gone).exists()
    assert not (media / rendition_name(gone, 400)).exists()
