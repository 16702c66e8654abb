"""Requests per client address, counted in the shared cache (Redis in production) so that
every process and host counts together: the API's budget (api/throttling.py) and the list
downloads' (public/downloads.py). A client over a limit gets 429 with ``Retry-After``."""

import hashlib
import logging
import time

from django.core.cache import cache

from cms.addresses import client_address

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """("300/min") -> (300, 60); None for no limit (None or "")."""
    if not rate:
        return None
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0]]


def wait_for(scope, rate, request):
    """Count ``request`` against its client's budget of ``rate`` in ``scope``: the seconds it
    must wait when over it, else 0 (also when ``rate`` is off or the cache fails).

    A fixed window per client address (``cms.addresses.client_address``): one counter per
    window, incremented atomically (O(1) per request, unlike a list of request times). If the
    cache fails, requests are let through: a limit never takes the site down with it.
    """
    limit = parse_rate(rate)
    if limit is None:
        return 0
    number, period = limit
    if getattr(cache, "_unavailable_until", 0) > time.monotonic():
        return 0  # the shared cache is down (public.cache_backend): not asked meanwhile
    now = time.time()
    window = int(now // period)
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"inotomsk:{scope}-throttle:{period}:{window}:{digest}"
    try:
        cache.add(key, 0, timeout=period + 1)
        count = cache.incr(key)
    except ValueError:  # the counter expired or was evicted between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    except Exception as error:  # noqa: BLE001 - a cache outage must not refuse requests
        logger.warning("The %s limit was skipped, the cache failed: %s", scope, error)
        return 0
    if count <= number:
        return 0
    return max(1, int((window + 1) * period - now + 0.999))
