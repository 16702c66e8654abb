"""The API's kept answers: rendered JSON and its ETag, under a key of everything an answer
depends on (content version, language, host, path and every parameter), until content changes.

All API clients are anonymous (the API reads no session), so every client may be served what
another one was. Answers are kept only while the page cache is on (``PAGE_CACHE_SECONDS``),
each also compressed once for the clients that accept gzip (nothing compresses it again)."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers, quote_etag
from django.utils.text import compress_string
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
        # Named anew when what is kept gained its compressed copy.
        return cache_key("api-answer", request.scheme, request.get_host(), request.path, params)


def kept_answer(key, request):
    """The answer kept under ``key`` for ``request``, or None."""
    kept = cache.get(key) if key else None
    return json_response(request, *kept) if kept else None


def keep_answer(key, content, language, request):
    """The answer of ``content`` in ``language`` for ``request``, kept under ``key`` when
    there is one."""
    etag = quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
    compressed = None
    if key:
        compressed = compress_string(content)
        cache.set(key, (content, compressed, etag, language), settings.PAGE_CACHE_SECONDS)
    return json_response(request, content, compressed, etag, language)


def json_response(request, content, compressed, etag, language):
    """The JSON answer, compressed where it was kept so and ``request`` accepts gzip."""
    accepts = re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))
    if compressed is not None and accepts and len(compressed) < len(content):
        response = HttpResponse(compressed, content_type="application/json")
        response["Content-Encoding"] = "gzip"
        etag = f"W/{etag}"  # another representation of the same answer, as GZipMiddleware says
    else:
        response = HttpResponse(content, content_type="application/json")
    patch_vary_headers(response, ["Accept-Encoding"])
    response["ETag"] = etag
    response["Content-Language"] = language
    return response
