"""The API's kept answers: rendered JSON and its ETag, under a key of everything an answer
depends on (content version, language, host, path and every parameter), until content changes.

All API clients are anonymous (the API reads no session), so every client may be served what
another one was. Answers are kept only while the page cache is on (``PAGE_CACHE_SECONDS``)."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import quote_etag
from django.utils.translation import override

from cms.translated import LANGUAGES
from public.caching import cache_key


def answer_key(request):
    """The key of the answer to ``request``, or None when none is kept (the cache is off, or
    ``lang`` is one the view refuses)."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return None
    languages = request.GET.getlist("lang") or [settings.LANGUAGE_CODE]
    if len(languages) != 1 or languages[0] not in LANGUAGES:
        return None
    params = sorted(request.GET.lists())
    with override(languages[0]):
        return cache_key("api", request.scheme, request.get_host(), request.path, params)


def kept_answer(key):
    """The answer kept under ``key``, or None."""
    kept = cache.get(key) if key else None
    return json_response(*kept) if kept else None


def keep_answer(key, content, language):
    """The answer of ``content`` in ``language``, kept under ``key`` when there is one."""
    etag = quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
    if key:
        cache.set(key, (content, etag, language), settings.PAGE_CACHE_SECONDS)
    return json_response(content, etag, language)


def json_response(content, etag, language):
    response = HttpResponse(content, content_type="application/json")
    response["ETag"] = etag
    response["Content-Language"] = language
    return response
