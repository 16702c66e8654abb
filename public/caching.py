"""Caching of the public site, in one place: the content version, the one key builder, cached
database results (``versioned``) and whole pages for anonymous visitors (``PageCacheMiddleware``).

Everything kept is named by ``cache_key``, which always includes the content version, the
language and the script prefix. The content version ends with any content change: saving or
deleting anything in the portal, clusters or news apps (admin, shell, ``loaddata``, importer),
``portal.signals.content_changed`` (bulk writers such as ``seed_demo``), any successful staff
POST (admin bulk actions use ``QuerySet.update()``, which sends no signals), the command
``end_content_version`` (for raw SQL or ``.update()`` outside the admin), and the time of the
next scheduled article, which then appears by itself. So nothing kept is ever stale.

The version lives in the default cache: with Redis, every process and host sees a change at
once; the local-memory default is per process, so other processes of one host may serve what
they kept for up to ``DATA_CACHE_SECONDS`` (data) or ``PAGE_CACHE_SECONDS`` (pages).
"""

import contextvars
import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.translation import get_language, get_language_from_path, override

from portal.signals import content_changed

VERSION_KEY = "inotomsk:content-version"
CONTENT_APPS = {"portal", "clusters", "news", "events", "programme"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Without a shared cache, other processes learn of a change only when this runs out.
DATA_CACHE_SECONDS = 10 * 60
# The query parameters any public page reads; others never reach a page-cache key
# (tests/test_caching.py checks that this matches the filter sets).
PAGE_PARAMETERS = frozenset(
    {"q", "page", "cluster", "direction", "project", "stakeholder", "year"}
    | {"park", "status", "kind", "type", "translated"}
    | {"language"}  # /documents/
    | {"format"}  # a list's download (public/downloads.py), never served the page kept
)


@dataclass(frozen=True)
class ContentVersion:
    """What the kept data and pages were computed from; ends with any content change."""

    id: str
    started_at: datetime
    # The next scheduled publication, which changes what the public sees by itself.
    ends_at: datetime | None

    @property
    def is_running(self):
        return self.ends_at is None or self.ends_at > timezone.now()


# Within a request the version is read once (PageCacheMiddleware opens the scope).
_request_scope = contextvars.ContextVar("inotomsk_content_version_scope", default=None)


def end_content_version():
    """End the current content version: everything kept is stale from now on."""
    _forget_version()
    # Again after the commit: a page rendered between the first delete and the commit
    # would otherwise be kept under a new version with the old content.
    transaction.on_commit(_forget_version)


def _forget_version():
    scope = _request_scope.get()
    if scope is not None:
        scope.clear()
    cache.delete(VERSION_KEY)


def current_version():
    """The running ``ContentVersion``, starting a new one if none is running."""
    scope = _request_scope.get()
    if scope:
        return scope["version"]
    version = cache.get(VERSION_KEY)
    if not isinstance(version, ContentVersion) or not version.is_running:
        version = _start_version()
    if scope is not None:
        scope["version"] = version
    return version


def _start_version():
    # Imported here: this module is loaded while the apps are still being set up.
    from events.models import Event
    from news.models import Article

    # What changes by itself, in one query: the next scheduled article appears; the next
    # event to end moves from the upcoming events to the past ones.
    changes = (
        Article.objects.scheduled()
        .order_by()
        .values_list("published_at")
        .union(Event.objects.published().upcoming().order_by().values_list("end"), all=True)
    )
    next_publication = min((at for (at,) in changes), default=None)
    version = ContentVersion(uuid.uuid4().hex, timezone.now(), next_publication)
    cache.set(VERSION_KEY, version, timeout=None)
    return version


def cache_key(kind, *parts):
    """The key of anything kept: ``kind`` and ``parts``, under the content version, the
    language and the script prefix."""
    named = "|".join(map(str, (current_version().id, get_language(), get_script_prefix(), *parts)))
    return f"inotomsk:{kind}:" + hashlib.md5(named.encode(), usedforsecurity=False).hexdigest()


def versioned(kind, parts, compute, timeout=DATA_CACHE_SECONDS):
    """``compute()``, kept for the content version under ``cache_key(kind, *parts)``.

    For database results that only content changes can change: counts, page keys, facets,
    validated filters, search results.
    """
    key = cache_key(kind, *parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def _content_changed(sender, **kwargs):
    # Raw saves (loaddata) count too: they change what the public sees, and dropping a
    # cache key is the only side effect.
    if kwargs.get("action", "post_").startswith("post_"):
        end_content_version()


def connect_signals():
    """Listen to every model of the content apps, M2M link tables included."""
    content_changed.connect(_content_changed, dispatch_uid="inotomsk-content-version")
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            for signal in (post_save, post_delete, m2m_changed):
                uid = f"inotomsk-content-version-{model._meta.label}"
                signal.connect(_content_changed, sender=model, dispatch_uid=uid)


class PageCacheMiddleware:
    """Serve anonymous GET and HEAD requests for public pages from the cache.

    A page is kept under the query parameters that pages read, in a stable order; a request
    with other parameters is served the page kept for the known ones, and what it renders
    itself is not kept (so random parameters add no entries). Only a session or flash
    messages make a request personal: other cookies (analytics, say) change no page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # The cookie of django.contrib.messages' cookie storage is named "messages".
        self.personal_cookies = {settings.SESSION_COOKIE_NAME, "messages"}

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
                    end_content_version()
            return response

        known = sorted(
            ((k, v) for k, values in request.GET.lists() if k in PAGE_PARAMETERS for v in values),
            key=lambda item: item[0],
        )
        # The language middleware has not run yet; the key names the page's language, which
        # its path alone gives (English has no prefix).
        with override(get_language_from_path(request.path_info) or settings.LANGUAGE_CODE):
            key = cache_key("page", request.scheme, request.get_host(), request.path, known)
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        has_unknown_parameters = any(k not in PAGE_PARAMETERS for k in request.GET)
        if not has_unknown_parameters and self._is_cacheable_response(response):
            if not response.has_header("ETag"):
                set_response_etag(response)
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    def _is_cacheable_request(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(tuple(settings.PAGE_CACHE_EXCLUDE))
            and not (self.personal_cookies & request.COOKIES.keys())
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
            # The key covers the language; personal requests never reach here.
            and vary <= {"cookie", "accept-language"}
        )
