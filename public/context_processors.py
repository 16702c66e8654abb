"""Template context shared by every page rendered for a request."""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils.translation import get_language


def page_address(request):
    """The site's origin, the page's absolute address (canonical and Open Graph links) and the
    same page in every language (hreflang alternates and the language switcher).

    Empty for a request whose Host is not allowed: its 400 page must still render.
    """
    try:
        origin = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return {"site_origin": "", "page_url": "", "languages": [], "x_default_url": ""}
    full_path = request.get_full_path()
    current = get_language()
    languages = [
        {
            "code": code,
            "name": name,
            "url": origin + translate_url(full_path, code),
            "path": translate_url(full_path, code),
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "site_origin": origin,
        "page_url": origin + request.path,
        "languages": languages,
        "x_default_url": origin + translate_url(full_path, settings.LANGUAGE_CODE),
    }
