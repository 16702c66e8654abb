"""Caches that drop everything as soon as content changes: whole pages for anonymous visitors
(``PageCacheMiddleware``) and costly data such as facet counts (``versioned``).

Each page is stored with the content version it was rendered under, and a page is served only
while that version is current. Saving or deleting anything in the portal, clusters or news apps
(from the admin, a shell, ``loaddata`` or the importer) ends the version. So do
``portal.signals.content_changed``, sent by bulk writers such as ``seed_demo``, and any successful
staff POST (admin bulk actions use ``QuerySet.update()``, which sends no signals). Scheduled
articles appear on their own, so a version also ends at the next scheduled publication time.

The version lives in the shared cache, so with Redis every process and host sees a change at
once; the local-memory default is per process, so other processes of one host may serve what
they cached for up to ``PAGE_CACHE_SECONDS`` (pages) or ``DATA_CACHE_SECONDS`` (data).
"""

import contextvars
import hashlib
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.translation import get_language_from_request

from portal.signals import content_changed

VERSION_KEY = "inotomsk:pages:version"
CONTENT_APPS = {"portal", "clusters", "news"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Without a shared cache, other processes learn of a change only when this runs out.
DATA_CACHE_SECONDS = 10 * 60


# Within a request, the version is read from the cache once (PageCacheMiddleware opens the
# scope); outside requests every call reads it.
_request_scope = contextvars.ContextVar("inotomsk_content_version_scope", default=None)


def invalidate():
    """End the current content version: every cached page is stale from now on."""
    _end_version()
    # Again after the commit: a page rendered between the first delete and the commit
    # would otherwise be stored under a new version with the old content.
    transaction.on_commit(_end_version)


def _end_version():
    scope = _request_scope.get()
    if scope is not None:
        scope.clear()
    cache.delete(VERSION_KEY)


def _is_running(version):
    return version is not None and (version[1] is None or version[1] > timezone.now())


def current_version():
    """The id of the current content version, starting a new one if none is running."""
    scope = _request_scope.get()
    if scope:
        return scope["version"]
    version = cache.get(VERSION_KEY)
    if not _is_running(version):
        version = _start_version()
    if scope is not None:
        scope["version"] = version[0]
    return version[0]


def versioned(key, compute, timeout=DATA_CACHE_SECONDS):
    """``compute()``, cached under ``key`` for the current content version.

    For data that is costly to compute from the database and changes only with content,
    such as facet counts: any content change ends the version, and so the cached value.
    """
    digest = hashlib.md5(f"{current_version()}|{key}".encode(), usedforsecurity=False)
    full_key = "inotomsk:data:" + digest.hexdigest()
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def _start_version():
    # Imported here: this module is loaded while the apps are still being set up.
    from news.models import Article

    next_publication = Article.objects.scheduled().aggregate(at=Min("published_at"))["at"]
    version = (uuid.uuid4().hex, next_publication)
    cache.set(VERSION_KEY, version, timeout=None)
    return version


def _content_changed(sender, **kwargs):
    # Raw saves (loaddata) count too: they change what the public sees, and dropping a
    # cache key is the only side effect.
    if kwargs.get("action", "post_").startswith("post_"):
        invalidate()


def connect_signals():
    """Listen to every model of the content apps, M2M link tables included."""
    content_changed.connect(_content_changed, dispatch_uid="inotomsk-page-cache")
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            for signal in (post_save, post_delete, m2m_changed):
                uid = f"inotomsk-page-cache-{model._meta.label}"
                signal.connect(_content_changed, sender=model, dispatch_uid=uid)


class PageCacheMiddleware:
    """Serve anonymous GET and HEAD requests for public pages from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Cookies that do not make a page personal; any other one (a session, flash
        # messages) does, and such requests bypass the cache.
        self.neutral_cookies = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}

    def __call__(self, request):
        token = _request_scope.set({})
        try:
            return self._respond(request)
        finally:
            _request_scope.reset(token)

    def _respond(self, request):
        if not self._is_cacheable_request(request):
            response = self.get_response(request)
            if request.method not in SAFE_METHODS and response.status_code < 400:
                user = getattr(request, "user", None)
                if user is not None and user.is_staff:
                    invalidate()
            return response

        key = self._page_key(request)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if not _is_running(version):
            version = _start_version()
        _request_scope.get()["version"] = version[0]
        entry = found.get(key)
        if entry is not None and entry[0] == version[0]:
            return entry[1]

        response = self.get_response(request)
        if self._is_cacheable_response(response):
            if not response.has_header("ETag"):
                set_response_etag(response)
            cache.set(key, (version[0], response), settings.PAGE_CACHE_SECONDS)
        return response

    def _is_cacheable_request(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(tuple(settings.PAGE_CACHE_EXCLUDE))
            and set(request.COOKIES) <= self.neutral_cookies
        )

    @staticmethod
    def _is_cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(d in cache_control for d in ("private", "no-store", "no-cache"))
            # The key covers the language; the cookies that matter never reach here.
            and vary <= {"cookie", "accept-language"}
        )

    @staticmethod
    def _page_key(request):
        url = f"{request.build_absolute_uri()}|{get_language_from_request(request)}"
        return "inotomsk:page:" + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
