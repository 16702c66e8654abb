"""In front of the API: every request is counted against its address's limit, and a kept
answer is served at once, before the sessions, languages, CSRF and the view (a kept answer then
costs about what the trivial view does). Placed right after the page cache in MIDDLEWARE."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils.translation import gettext as _

from public.caching import keeps_results

from .caching import answer_key, kept_answer
from .throttling import AddressRateThrottle


class APIMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = {}  # by URLconf: the API's address, None where it has none

    def prefix(self):
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        if urlconf not in self.prefixes:
            try:
                self.prefixes[urlconf] = reverse("api:root", urlconf=urlconf)
            except NoReverseMatch:
                self.prefixes[urlconf] = None
        return self.prefixes[urlconf]

    def __call__(self, request):
        prefix = self.prefix()
        if prefix is None or not request.path_info.startswith(prefix):
            return self.get_response(request)
        throttle = AddressRateThrottle()
        if not throttle.allow_request(request, None):
            return self.throttled(throttle.wait())
        request.api_counted = True  # the view's throttle counts it no more
        if request.method in ("GET", "HEAD"):
            request.api_answer_key = answer_key(request)
            kept = kept_answer(request.api_answer_key, request)
            if kept is not None:
                return kept
            if not keeps_results():  # a search asked for the first time (public.caching)
                request.api_answer_key = None
        return self.get_response(request)

    @staticmethod
    def throttled(wait):
        detail = _("Request was throttled. Expected available in %(wait)d seconds.") % {
            "wait": wait
        }
        response = HttpResponse(
            json.dumps({"detail": detail}, ensure_ascii=False),
            status=429,
            content_type="application/json",
        )
        response["Retry-After"] = str(wait)
        return response
