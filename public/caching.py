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
once. The local-memory default is per process, so ending the version there also writes a token
to a file every process of the host reads once per request (``public/version_stamp.py``).

A search is kept only when asked again: a request with search words (``SEARCH_PARAMETERS``)
keeps nothing it computes (page, results, counts) unless the same address was asked within
``SEEN_SECONDS``; a bounded table of ``SEEN_SLOTS`` small markers remembers what was asked.
So random words cost what a search costs, but add at most that table to the cache.
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
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.translation import get_language, get_language_from_path, override

from portal.signals import content_changed

from .accessible import mode_of
from .version_stamp import read_stamp, write_stamp

VERSION_KEY = "inotomsk:content-version"
CONTENT_APPS = {"portal", "clusters", "news", "events", "programme"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Without a shared cache, other processes learn of a change only when this runs out.
DATA_CACHE_SECONDS = 10 * 60
# The query parameters any public page reads; others never reach a page-cache key
# (tests/caching/test_keys.py checks that this matches the filter sets).
PAGE_PARAMETERS = frozenset(
    {"q", "page", "cluster", "direction", "project", "stakeholder", "year"}
    | {"park", "status", "kind", "type", "translated"}
    | {"language"}  # /documents/
    | {"format"}  # a list's download (public/downloads.py), never served the page kept
)
# Free text: any value is valid, so a flood of random values must not fill the cache.
SEARCH_PARAMETERS = frozenset({"q"})
# The table of searches asked once: this many markers, each kept this long.
SEEN_SLOTS = 1024
SEEN_SECONDS = 10 * 60


@dataclass(frozen=True)
class ContentVersion:
    """What the kept data and pages were computed from; ends with any content change."""

    id: str
    started_at: datetime
    # The next scheduled publication, which changes what the public sees by itself.
    ends_at: datetime | None
    # The token of the last change another process made (version_stamp) when this started.
    stamp: str = ""

    @property
    def is_running(self):
        return self.ends_at is None or self.ends_at > timezone.now()


# Within a request the version is read once (PageCacheMiddleware opens the scope).
_request_scope = contextvars.ContextVar("inotomsk_content_version_scope", default=None)
# False while a request computes what must not be kept (a search asked for the first time).
_keeps_results = contextvars.ContextVar("inotomsk_keeps_results", default=True)
# What such a request computed, for its own later use.
_unkept = contextvars.ContextVar("inotomsk_unkept", default=None)


def keeps_results():
    """Whether what the current request computes may be kept (see the module's docstring)."""
    return _keeps_results.get()


def asked_again(key):
    """True if ``key`` was asked for within ``SEEN_SECONDS``; otherwise it is remembered (in
    one of ``SEEN_SLOTS`` slots, replacing whatever was there) and this answers False."""
    digest = key.rsplit(":", 1)[-1]
    slot = f"inotomsk:seen:{int(digest[:8], 16) % SEEN_SLOTS}"
    if cache.get(slot) == digest:
        return True
    cache.set(slot, digest, SEEN_SECONDS)
    return False


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
    # Other processes can see the change once it is committed (this runs again then).
    if not transaction.get_connection().in_atomic_block:
        write_stamp()


def current_version():
    """The running ``ContentVersion``, starting a new one if none is running."""
    scope = _request_scope.get()
    if scope:
        return scope["version"]
    version = cache.get(VERSION_KEY)
    stamp = read_stamp()
    if (
        not isinstance(version, ContentVersion)
        or not version.is_running
        or version.stamp != stamp  # another process changed content
    ):
        version = _start_version(stamp)
    if scope is not None:
        scope["version"] = version
    return version


def _start_version(stamp=""):
    # Imported here: this module is loaded while the apps are still being set up.
    from events.models import Event
    from news.models import Article

    # What changes by itself, in one query: the next scheduled article appears; the next
    # event to end moves from the upcoming events to the past ones. The database takes the
    # soonest (a million articles have a couple of thousand scheduled).
    changes = (
        Article.objects.scheduled()
        .order_by()
        .values_list("published_at")
        .union(Event.objects.published().upcoming().order_by().values_list("end"), all=True)
        .order_by("published_at")[:1]
    )
    next_publication = next((at for (at,) in changes), None)
    version = ContentVersion(uuid.uuid4().hex, timezone.now(), next_publication, stamp)
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
    # A request that keeps nothing still computes each value once: for itself only.
    own = None if keeps_results() else _unkept.get()
    if own is not None and key in own:
        return own[key]
    value = cache.get(key)
    if value is None:
        value = compute()
        if own is None:
            cache.set(key, value, timeout)
        else:
            own[key] = value
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
    messages make a request personal; the accessible version's cookie chooses another page,
    kept under its own key; other cookies (analytics, say) change no page. For a client that
    accepts gzip a page is kept compressed (GZipMiddleware): a hit sends a fifth of the bytes.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.personal_cookies = {settings.SESSION_COOKIE_NAME, "messages"}  # messages' cookie
        self.compressor = GZipMiddleware(get_response)

    def __call__(self, request):
        token = _request_scope.set({})
        keeps, unkept = _keeps_results.set(True), _unkept.set({})
        try:
            if request.method in ("GET", "HEAD") and self._searches(request):
                _keeps_results.set(asked_again(self._page_key(request)))
            return self._respond(request)
        finally:
            _unkept.reset(unkept)
            _keeps_results.reset(keeps)
            _request_scope.reset(token)

    @staticmethod
    def _searches(request):
        return any(
            value.strip() for name in SEARCH_PARAMETERS for value in request.GET.getlist(name)
        )

    @staticmethod
    def _page_key(request):
        known = sorted(
            ((k, v) for k, values in request.GET.lists() if k in PAGE_PARAMETERS for v in values),
            key=lambda item: item[0],
        )
        # The version for visually impaired visitors renders other pages: its mode is part of
        # the key, and adds nothing for the standard version (public/accessible.py).
        mode = mode_of(request).cache_part
        encoding = re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))
        # The language middleware has not run yet; the key names the page's language, which
        # its path alone gives (English has no prefix).
        with override(get_language_from_path(request.path_info) or settings.LANGUAGE_CODE):
            parts = (request.scheme, request.get_host(), request.path, known, *mode)
            return cache_key("page", *parts, *(["gzip"] if encoding else []))

    def _respond(self, request):
        if not self._is_cacheable_request(request):
            response = self.get_response(request)
            if request.method not in SAFE_METHODS and response.status_code < 400:
                user = getattr(request, "user", None)
                if user is not None and user.is_staff:
                    end_content_version()
            return response

        key = self._page_key(request)
        response = cache.get(key)
        # Read by the metrics (public/metrics.py): the page cache's hit ratio.
        request.page_cache = "miss" if response is None else "hit"
        if response is not None:
            return response  # with the headers of its first answer, its CSP among them
        response = self.get_response(request)
        known_parameters = all(k in PAGE_PARAMETERS for k in request.GET)
        if keeps_results() and known_parameters and self._is_cacheable_response(request, response):
            response = self.compressor.process_response(request, response)
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
    def _is_cacheable_response(request, response):
        cache_control = response.get("Cache-Control", "")
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and getattr(request, "_csp_nonce", None) is None  # a nonce is for one answer only
            and not any(d in cache_control for d in ("private", "no-store", "no-cache"))
            # The key covers the language; personal requests never reach here.
            and vary <= {"cookie", "accept-language"}
        )
