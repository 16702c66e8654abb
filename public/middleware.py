"""Small response middleware of the site."""

import functools

from csp.constants import HEADER
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation


@functools.cache
def default_policy():
    """The Content-Security-Policy django-csp builds from the settings for a response that
    asks for nothing else (no decorator, no nonce)."""
    return build_policy()


@receiver(setting_changed)
def _forget_default_policy(setting, **kwargs):
    if setting == "CONTENT_SECURITY_POLICY":
        default_policy.cache_clear()


class PolicyHeadersMiddleware:
    """Send the Permissions-Policy header (settings.PERMISSIONS_POLICY; Django has none built
    in) with every response, and the default Content-Security-Policy with those that lack one.

    django-csp's middleware runs inside the page cache, so that a page is kept with its policy
    and a hit does not build it again (some 70 us of a hit's 180), and after the API's kept
    answers. Responses made before it lack it: a kept API answer, a bad Host or the database
    down as the page cache reads the content version, the language redirect, a 304, a page
    kept by a release that kept pages without it. This middleware, outside them all, gives
    those the policy django-csp builds from the settings, built once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[HEADER] = default_policy()
        return response


class RememberedLanguageMiddleware:
    """Send a visitor who chose a language with the switcher from the root to its home page.

    Only the root, and only by an explicit choice (the language cookie set by
    ``choose_language``): the browser's language never moves anybody, and every other URL
    always shows its own language, so shared links and search engines see stable pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if (
            request.path == "/"
            and request.method in ("GET", "HEAD")
            and chosen != settings.LANGUAGE_CODE
            and chosen in dict(settings.LANGUAGES)
        ):
            return HttpResponseRedirect(translate_url("/", chosen))
        return self.get_response(request)


class AdminLanguageMiddleware:
    """The admin in the editor's language: the language chosen with the switcher (its cookie)
    or else the browser's. Public pages take theirs from the URL; the admin has no prefix,
    which would otherwise always mean English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/"):
            language = translation.get_language_from_request(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
