"""Uploaded media at the site's own address, ``/media/<name>``, whatever stores them.

On object storage (``inotomsk.storage.MediaStorage``) the objects are private; this view answers
with a redirect to a short-lived signed link, so pages (and the pages the cache keeps) link a
stable address on the site. On the filesystem the front server serves ``/media/`` itself, and
Django only for local runs (``DJANGO_SERVE_MEDIA``). Documents are never served here: their
download view checks that they are published or that the visitor may see drafts.
"""

import posixpath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.static import serve

# Prefixes served only by a view that checks permission (programme.models.document_path).
PRIVATE_PREFIXES = ("documents/",)
# How long a browser may keep the redirect: well within the signed link's life.
REDIRECT_MAX_AGE = 300


def media_file(request, name):
    """Redirect to a signed link of the object (object storage), or serve the file (local)."""
    clean = posixpath.normpath(name)
    if (
        "\x00" in name
        or clean != name.rstrip("/")
        or clean.startswith(("/", "../"))
        or clean == ".."
        or clean.startswith(PRIVATE_PREFIXES)
    ):
        raise Http404(_("No such file."))
    if hasattr(default_storage, "signed_url"):
        expiry = default_storage.querystring_expire
        response = HttpResponseRedirect(default_storage.signed_url(clean))
        response["Cache-Control"] = f"public, max-age={min(REDIRECT_MAX_AGE, expiry // 2)}"
        return response
    if settings.SERVE_MEDIA:
        return serve(request, clean, document_root=settings.MEDIA_ROOT)
    raise Http404(_("No such file."))
