"""Settings for the test suite: production settings with fast, isolated pieces."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only-not-a-secret")
os.environ.setdefault("DJANGO_HTTPS", "0")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="inotomsk-test-media-")
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STATIC_ROOT = tempfile.mkdtemp(prefix="inotomsk-test-static-")
# Pages render afresh in tests (query counts stay exact); tests/caching/ turns it on.
PAGE_CACHE_SECONDS = 0
# Crawls and property tests download freely; tests/downloads/test_kept.py turns the limit on.
DOWNLOAD_THROTTLE_RATE = None
