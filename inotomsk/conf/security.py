"""Settings: HTTPS, the reverse proxy, the map's tiles and the content security policy."""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

from .. import maptiles
from .base import DEBUG, env_flag, env_list
from .files import MEDIA_ORIGINS

# HTTPS hardening is on by default in production; DJANGO_HTTPS=0 serves plain HTTP.
HTTPS = env_flag("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxy (docs/deployment.md): the addresses it connects from (addresses or CIDR
# ranges, comma-separated) and the header it gives the client's address in. The header is
# believed only from those addresses (cms.addresses.client_address); unset, every client is
# REMOTE_ADDR, which behind a proxy is the proxy (check cms.W001 warns with HTTPS on).
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network."
        ) from None
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "").strip() or "X-Forwarded-For"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS

# The map's tiles (public/map.py): a URL template and its attribution; unset, no tiles and no
# request to another host. Only this host joins img-src.
MAP_TILE_URL = os.environ.get("DJANGO_MAP_TILE_URL", "").strip()
MAP_TILE_ATTRIBUTION = os.environ.get("DJANGO_MAP_TILE_ATTRIBUTION", "").strip()
MAP_TILE_ORIGINS = [maptiles.tile_origin(MAP_TILE_URL)] if MAP_TILE_URL else []

# Our pages and the admin use only same-origin files: no inline script or style, no other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", *MEDIA_ORIGINS, *MAP_TILE_ORIGINS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "upgrade-insecure-requests": HTTPS,
    }
}
# Features no page uses, switched off for the page and anything it might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
