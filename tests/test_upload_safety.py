"""A full disk during an upload: a form error that keeps what was typed, no row written or
changed, and nothing half-written left in media or in the import's preview folder.

The storage is made to fail as a full disk does: the file is created, part of it written,
then ``OSError(ENOSPC)``.
"""

import errno
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image

from cms import spreadsheet_admin
from cms.uploads import UploadNotStored
from news.models import Article
from portal.models import Project, Stakeholder
from programme.models import Document

from . import factories
from .uploads.helpers import article_data, change_url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DISK_FULL = "the server&#x27;s disk is full"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.IMPORT_PREVIEW_DIR = str(tmp_path / "previews")
    return tmp_path


def files_under(folder):
    return sorted(p for p in Path(folder).rglob("*") if p.is_file())


@pytest.fixture
def full_disk(monkeypatch):
    """The filesystem storage fills up: saves after the first ``room`` ones write half of the
    file, then fail with ENOSPC. Returns the setter of ``room``."""
    original = FileSystemStorage._save
    state = {"room": 0}

    def save(storage, name, content):
        if state["room"] > 0:
            state["room"] -= 1
            return original(storage, name, content)
        path = Path(storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.read()
        path.write_bytes(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return lambda room: state.update(room=room)


def jpeg(size=(2000, 1000)):
    out = io.BytesIO()
    Image.new("RGB", size, (0, 0, 255)).save(out, format="JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize("room", [0, 2], ids=["original", "rendition"])
def test_a_full_disk_keeps_the_article_as_typed(admin_client, media, full_disk, room):
    article = factories.article(title="Stored title", body="Stored body")
    full_disk(room)  # 0: the original fails; 2: the original and one rendition are written

    response = admin_client.post(
        change_url(article),
        article_data(
            article, title="Typed title", body="Typed body", image=jpeg(), image_alt="Blue"
        ),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "disk is full" in " ".join(form.errors["image"])
    page = response.content.decode()
    assert DISK_FULL in page
    # What the editor typed is in the form again.
    assert form.data["title"] == "Typed title" and "Typed body" in page
    assert 'value="Typed title"' in page
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.body, stored.image.name) == ("Stored title", "Stored body", "")
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_full_disk_during_a_document_upload(admin_client, media, full_disk):
    full_disk(0)
    response = admin_client.post(
        reverse("admin:programme_document_add"),
        {
            "title": "Concept of INO Tomsk",
            "slug": "concept",
            "kind": "concept",
            "language": "en",
            "date": "2017-12-11",
            "file": SimpleUploadedFile("concept.pdf", PDF, content_type="application/pdf"),
        },
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "disk is full" in " ".join(form.errors["file"])
    assert form.data["title"] == "Concept of INO Tomsk"
    assert 'value="Concept of INO Tomsk"' in response.content.decode()
    assert not Document.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_full_disk_during_an_import_preview(admin_client, media, monkeypatch):
    def half_written(path, mode):
        file = open(path, mode)  # noqa: SIM115 - closed by the failing write below

        class Full:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                file.close()

            def write(self, data):
                file.write(data[: len(data) // 2])
                file.flush()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        return Full()

    monkeypatch.setattr(spreadsheet_admin, "open", half_written, raising=False)
    upload = SimpleUploadedFile("rows.csv", b"slug,name_en,kind\ntpu,TPU,university\n")

    response = admin_client.post(
        reverse("admin:portal_stakeholder_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    assert "disk is full" in " ".join(errors)
    assert "result" not in response.context and "confirm_form" not in response.context
    assert not Stakeholder.objects.exists()
    assert files_under(settings.IMPORT_PREVIEW_DIR) == []


def test_a_save_outside_the_admin_fails_whole(media, full_disk):
    project = factories.project()
    project.image = jpeg()
    project.image_alt = "Blue"
    full_disk(1)  # the original is written, its first rendition fails

    with pytest.raises(UploadNotStored) as failure, transaction.atomic():
        project.save()

    assert failure.value.field == "image"
    assert files_under(settings.MEDIA_ROOT) == []
    assert Project.objects.get(pk=project.pk).image.name == ""


def test_other_failures_remove_the_files_stored_before_them(admin_client, media, monkeypatch):
    """A save that fails after its files were stored leaves none of them behind."""

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    article = factories.article(title="Stored title")
    # Logging the change comes after the save: the transaction is rolled back.
    monkeypatch.setattr("django.contrib.admin.ModelAdmin.log_change", broken)

    with pytest.raises(RuntimeError):
        admin_client.post(
            change_url(article), article_data(article, image=jpeg(), image_alt="Blue")
        )

    assert files_under(settings.MEDIA_ROOT) == []
    assert Article.objects.get(pk=article.pk).image.name == ""
