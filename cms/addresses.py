"""The client's address behind our proxies, for every limit kept per client.

The API's limits, the downloads', the log-in throttle's (cms/throttle.py), the contact form's
and the subscriptions' all count per client address, read here: REMOTE_ADDR, or what a
trusted proxy says it was. The system check ``cms.W001`` warns when HTTPS is on (behind a TLS
proxy) without trusted proxies, as every client would then share the proxy's address.
"""

import functools
import ipaddress

from django.conf import settings
from django.core import checks


@functools.cache
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_proxy(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request):
    """The client's address, for every limit per client (the API's, downloads', log-ins').

    REMOTE_ADDR, unless the request comes from a trusted proxy (``TRUSTED_PROXIES``): then the
    proxy's header (``CLIENT_IP_HEADER``) is read from the right, and the first address that
    is not itself a trusted proxy is the client. The right-most entries are the ones our
    proxies added; anything further left may be the client's own invention. Without trusted
    proxies the header is never read, so a client cannot choose its address.
    """
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _is_proxy(remote, networks):
        return remote
    header = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
    client = remote
    for entry in reversed(request.META.get(header, "").split(",")):
        entry = entry.strip()
        try:
            client = str(ipaddress.ip_address(entry))
        except ValueError:
            # Not written by our proxy (which writes addresses): the proxy is all we know.
            return remote
        if not _is_proxy(client, networks):
            return client
    return client  # every hop a proxy of ours: the left-most is where the request began


@checks.register(checks.Tags.security)
def check_trusted_proxies(app_configs, **kwargs):
    """With HTTPS on the site runs behind a TLS proxy: without ``TRUSTED_PROXIES`` every client
    has the proxy's address, so the per-client limits are shared by everyone.

    Registered by the cms app when it is ready (cms/apps.py).
    """
    if getattr(settings, "HTTPS", False) and not getattr(settings, "TRUSTED_PROXIES", None):
        return [
            checks.Warning(
                "HTTPS is on (behind a TLS proxy) but DJANGO_TRUSTED_PROXIES is not set: every "
                "client gets the proxy's address, so the API, download and log-in limits are "
                "shared by all visitors.",
                hint="Set DJANGO_TRUSTED_PROXIES to the proxy's address (e.g. 127.0.0.1) and "
                "DJANGO_CLIENT_IP_HEADER to its client-address header (X-Forwarded-For by "
                "default, or X-Real-IP); see docs/deployment.md.",
                id="cms.W001",
            )
        ]
    return []
