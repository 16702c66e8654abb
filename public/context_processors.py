"""Template context shared by every page rendered for a request."""

from django.core.exceptions import DisallowedHost


def page_address(request):
    """The site's origin and the page's absolute address, for canonical and Open Graph links.

    Empty for a request whose Host is not allowed: its 400 page must still render.
    """
    try:
        origin = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return {"site_origin": "", "page_url": ""}
    return {"site_origin": origin, "page_url": origin + request.path}
