"""Small response middleware of the site."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header (settings.PERMISSIONS_POLICY); Django has none built in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
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
