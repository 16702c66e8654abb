"""`manage.py rename_uploads`: files stored under their uploaded names get random ones, with
their renditions, in rows, texts and kept versions; running it again changes nothing."""

import io
import re
from pathlib import Path

import pytest
import reversion
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from reversion.models import Version

from cms.renditions import rendition_name
from cms.uploads import has_random_name
from news.models import Article
from portal.models import Project, Stakeholder

from . import factories

pytestmark = pytest.mark.django_db

OLD = "images/2024/collide.png"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def put(name, data):
    assert default_storage.save(name, ContentFile(data)) == name


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("rename_uploads", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def stored(media):
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_old_names_are_renamed_everywhere_once(media):
    put(OLD, b"original")
    put(rendition_name(OLD, 400), b"small")
    put(rendition_name(OLD, 800), b"medium")
    put("images/2024/untouched.png.bak", b"another file")
    article = factories.article(image_alt="Collide")
    Article.objects.filter(pk=article.pk).update(image=OLD, image_width=1000, image_height=500)
    with reversion.create_revision():
        reversion.add_to_revision(Article.objects.get(pk=article.pk))
    text = (
        f"![Collide](/media/{OLD}) and [small](/media/{rendition_name(OLD, 400)}); "
        f"not /media/{OLD}.bak nor /media/{OLD}x"
    )
    project = factories.project(description=text)
    Stakeholder.objects.filter(pk=factories.stakeholder().pk).update(logo="logos/2024/gone.png")
    random = "images/2024/0123456789abcdef0123456789abcdef.jpg"
    put(random, b"already random")
    Project.objects.filter(pk=project.pk).update(image=random)

    out, _err = run("--dry-run")
    assert OLD in out and "1 file would be renamed" in out
    assert Article.objects.get(pk=article.pk).image.name == OLD
    assert default_storage.exists(OLD)

    out, err = run()

    new = Article.objects.get(pk=article.pk).image.name
    assert re.fullmatch(r"images/2024/[0-9a-f]{32}\.png", new) and has_random_name(new)
    assert f"{OLD} -> {new}" in out and "1 file renamed" in out
    assert "logos/2024/gone.png" in err  # named by a row, not in the storage: left alone
    assert Stakeholder.objects.filter(logo="logos/2024/gone.png").exists()
    with default_storage.open(new) as file:
        assert file.read() == b"original"
    with default_storage.open(rendition_name(new, 400)) as file:
        assert file.read() == b"small"
    assert stored(media) == sorted(
        [
            new,
            rendition_name(new, 400),
            rendition_name(new, 800),
            random,
            "images/2024/untouched.png.bak",
        ]
    )
    description = Project.objects.get(pk=project.pk).description
    assert description == (
        f"![Collide](/media/{new}) and [small](/media/{rendition_name(new, 400)}); "
        f"not /media/{OLD}.bak nor /media/{OLD}x"
    )
    version = Version.objects.get_for_object(article).get()
    assert version.field_dict["image"] == new
    assert OLD not in version.serialized_data
    assert Project.objects.get(pk=project.pk).image.name == random

    # Again: nothing left to rename, nothing changes.
    before = stored(media)
    out, _err = run()
    assert "0 files renamed" in out
    assert stored(media) == before
    assert Article.objects.get(pk=article.pk).image.name == new


def test_a_failed_copy_changes_nothing(media, monkeypatch):
    put(OLD, b"original")
    article = factories.article(image_alt="Collide")
    Article.objects.filter(pk=article.pk).update(image=OLD)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    with pytest.raises(CommandError, match="1 file could not be renamed"):
        run()

    assert Article.objects.get(pk=article.pk).image.name == OLD
    assert stored(media) == [OLD]
