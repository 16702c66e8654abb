import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def run_settings(env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "inotomsk.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_with_debug_off_is_a_clear_error():
    result = run_settings({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when debug is off" in result.stderr


def test_debug_runs_without_a_secret_key():
    assert run_settings({"DJANGO_DEBUG": "1"}).returncode == 0


def test_database_url_is_read(monkeypatch):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; import django; django.setup();"
            "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "inotomsk.settings",
            "DJANGO_SECRET_KEY": "x",
            "DATABASE_URL": "postgres://u@db.example:5432/portal",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "portal"]


@pytest.mark.django_db
def test_bootstrap_seeds_once_and_creates_one_admin(capsys):
    call_command("bootstrap")
    out = capsys.readouterr().out
    assert "username: admin" in out
    password = out.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    assert len(password) >= 12
    call_command("bootstrap")
    out = capsys.readouterr().out
    assert "username: admin" not in out and "Content found" in out
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_bootstrap_gives_every_seeded_entry_its_first_version():
    import reversion
    from reversion.models import Version

    call_command("bootstrap", stdout=io.StringIO())
    for model in reversion.get_registered_models():
        for obj in model._default_manager.all():
            versions = Version.objects.get_for_object(obj)
            assert versions.count() == 1, obj
            assert versions.get().revision.comment == "Seed content"
    assert Version.objects.count() > 30
    call_command("bootstrap", stdout=io.StringIO())  # a later start adds none
    assert (
        Version.objects.filter(revision__comment="Seed content").count() == Version.objects.count()
    )
