"""The map's tile source (DJANGO_MAP_TILE_URL): its origin, for the CSP's img-src.

Unset, the map draws no tiles and the page asks no other host for anything.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def tile_origin(template):
    """``https://{s}.tile.example/{z}/{x}/{y}.png`` → ``https://*.tile.example``."""
    if not template:
        return ""
    parts = urlsplit(template.replace("{s}.", "sub."))
    if parts.scheme not in ("https", "http") or not parts.hostname or "{" in parts.netloc:
        raise ImproperlyConfigured(
            "DJANGO_MAP_TILE_URL: an http(s) address template such as "
            "https://tiles.example/{z}/{x}/{y}.png"
        )
    host = parts.netloc.replace("sub.", "*.", 1) if "{s}." in template else parts.netloc
    return f"{parts.scheme}://{host}"
