"""Settings: static files, uploaded media and where they are stored, upload sizes."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .. import objectstore
from .base import BASE_DIR, DEBUG, env_flag

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# The feeds' XSLT must go out as XML (nosniff): WhiteNoise's own table has no .xsl (Django's
# static view in development reads mimetypes, given the same type in public/apps.py).
WHITENOISE_MIMETYPES = {".xsl": "application/xslt+xml"}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Local runs without a front server let Django serve uploaded media itself.
SERVE_MEDIA = env_flag("DJANGO_SERVE_MEDIA", default=DEBUG)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media on S3-compatible object storage when DJANGO_S3_BUCKET is set (docs/deployment.md,
# "Media on object storage"); without it, the filesystem under MEDIA_ROOT.
try:
    S3_MEDIA = objectstore.s3_config()
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
if S3_MEDIA:
    STORAGES["default"] = {
        "BACKEND": "inotomsk.storage.MediaStorage",
        "OPTIONS": objectstore.storage_options(S3_MEDIA),
    }
# Where browsers fetch media from: /media/ answers with a signed link to the store.
MEDIA_ORIGINS = objectstore.media_origins(S3_MEDIA) if S3_MEDIA else []

# Uploads larger than this are refused before they reach a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest document (PDF, DOCX, XLSX, ODT, ODS) staff may upload (programme/files.py).
DOCUMENT_MAX_SIZE = 25 * 1024 * 1024
