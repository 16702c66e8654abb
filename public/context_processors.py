"""Template context shared by every page rendered for a request."""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils.translation import get_language

from .links import query_without


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
    # "Only items in this language" lists other items in another language: the same page
    # there is its list without that filter, from its first page.
    elsewhere = full_path
    if "translated" in request.GET:
        kept = request.GET.copy()
        kept.pop("page", None)
        query = query_without(kept, "translated")
        elsewhere = request.path + (f"?{query}" if query else "")
    languages = []
    for code, name in settings.LANGUAGES:
        path = translate_url(full_path if code == current else elsewhere, code)
        languages.append(
            {
                "code": code,
                "name": name,
                "url": origin + path,
                "path": path,
                "is_current": code == current,
            }
        )
    # The default language's address of this page (x-default), as in its switcher link.
    default = next(language for language in languages if language["code"] == settings.LANGUAGE_CODE)
    return {
        "site_origin": origin,
        "page_url": origin + request.path,
        "languages": languages,
        "x_default_url": default["url"],
    }
