"""`manage.py renditions`: the missing renditions of every stored image, once."""

import io
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from PIL import Image

from cms.renditions import rendition_name
from portal import images
from portal.management.commands.renditions import image_fields, legacy_rendition_names

from . import factories

pytestmark = pytest.mark.django_db

WIDTHS = (400, 800, 1600)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def jpeg(size=(2000, 1000), colour="navy"):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def with_picture(obj, name, field="image", size=(2000, 1000)):
    """Save ``obj`` with a picture, as an upload is saved; its renditions are made then."""
    setattr(obj, field, ContentFile(jpeg(size), name=name))
    obj.save()
    return getattr(obj, field)


@pytest.fixture
def pictures(media):
    """One stored image per model with a RenditionImageField, as before the upgrade: with
    renditions under the former names only."""
    files = [
        with_picture(factories.article(), "article.jpg"),
        with_picture(factories.project(is_published=False), "project.jpg"),
        with_picture(factories.park(), "park.jpg"),
        with_picture(factories.cluster(), "cluster.jpg"),
        with_picture(factories.stakeholder(), "logo.jpg", field="logo", size=(900, 300)),
    ]
    for file in files:
        for width in WIDTHS:
            if file.storage.exists(rendition_name(file.name, width)):
                file.storage.delete(rendition_name(file.name, width))
        for name in legacy_rendition_names(file.name):
            file.storage.save(name, ContentFile(b"a rendition of the former naming"))
    return files


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("renditions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rendition_sizes(file):
    sizes = {}
    for width in WIDTHS:
        name = rendition_name(file.name, width)
        if file.storage.exists(name):
            with file.storage.open(name) as stored:
                sizes[width] = Image.open(stored).size
    return sizes


def test_every_model_with_a_rendition_image_field_is_covered():
    found = {(model._meta.label, field.name) for model, field in image_fields()}
    assert found == {
        ("news.Article", "image"),
        ("events.Event", "image"),
        ("portal.Project", "image"),
        ("portal.Park", "image"),
        ("portal.Stakeholder", "logo"),
        ("clusters.Cluster", "image"),
    }


def test_missing_renditions_are_made_for_every_stored_image(pictures):
    out, err = run()
    assert out.strip() == (
        "Renditions made for 5 image(s); 0 already complete; 0 original(s) missing."
    )
    assert err == ""
    for file in pictures[:4]:
        assert rendition_sizes(file) == {400: (400, 200), 800: (800, 400), 1600: (1600, 800)}
    assert rendition_sizes(pictures[4]) == {400: (400, 133), 800: (800, 267)}
    # The former names are left alone unless asked.
    assert all(file.storage.exists(legacy_rendition_names(file.name)[0]) for file in pictures)


def test_a_second_run_reads_and_writes_nothing(pictures):
    run()
    mtimes = {
        (file.name, w): file.storage.get_modified_time(rendition_name(file.name, w))
        for file in pictures
        for w in rendition_sizes(file)
    }
    with (
        mock.patch.object(Image, "open", wraps=Image.open) as opened,
        mock.patch(
            "portal.management.commands.renditions.generate_renditions",
            wraps=images.generate_renditions,
        ) as generate,
    ):
        out, _err = run()
    assert out.strip() == (
        "Renditions made for 0 image(s); 5 already complete; 0 original(s) missing."
    )
    assert (generate.call_count, opened.call_count) == (0, 0)
    assert mtimes == {
        (name, w): pictures[0].storage.get_modified_time(rendition_name(name, w))
        for name, w in mtimes
    }


def test_force_makes_them_all_again(pictures):
    run()
    with mock.patch(
        "portal.management.commands.renditions.generate_renditions",
        wraps=images.generate_renditions,
    ) as generate:
        out, _err = run("--force")
    assert generate.call_count == 5
    assert out.startswith("Renditions made for 5 image(s); 0 already complete;")
    assert rendition_sizes(pictures[0]) == {400: (400, 200), 800: (800, 400), 1600: (1600, 800)}


def test_delete_old_removes_the_former_names_only(pictures):
    out, _err = run("--delete-old")
    assert out.strip().endswith("15 rendition(s) of the former naming deleted.")
    storage = pictures[0].storage
    for file in pictures:
        assert not any(storage.exists(name) for name in legacy_rendition_names(file.name))
        assert rendition_sizes(file)
    # A current name never has the former form: a second run finds nothing to delete.
    out, _err = run("--delete-old")
    assert out.strip().endswith(" 0 rendition(s) of the former naming deleted.")


def test_a_missing_original_is_reported_and_a_damaged_one_fails_the_run(pictures):
    storage = pictures[0].storage
    storage.delete(pictures[0].name)
    storage.delete(pictures[1].name)
    storage.save(pictures[1].name, ContentFile(b"not a picture any more"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 image"):
        call_command("renditions", stdout=out, stderr=err)
    assert "Original missing, no renditions: news.Article.image" in err.getvalue()
    assert "Could not make the renditions of portal.Project.image" in err.getvalue()
    assert out.getvalue().strip() == (
        "Renditions made for 3 image(s); 0 already complete; 1 original(s) missing."
    )
    assert rendition_sizes(pictures[2])
