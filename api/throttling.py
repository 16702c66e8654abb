"""Requests per client address, counted in the shared cache (Redis in production) so that
every process and host counts together. The rate is the setting ``API_THROTTLE_RATE`` ("300/min";
None or "" turns it off); a client over it gets 429 with ``Retry-After``."""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from portal.security import client_address

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """("300/min") -> (300, 60); None for no limit."""
    if not rate:
        return None
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0]]


class AddressRateThrottle(BaseThrottle):
    """A fixed window per address: one counter per window, incremented atomically (O(1) per
    request, unlike a list of request times). If the cache fails, requests are let through:
    throttling never takes the API down with it."""

    def allow_request(self, request, view):
        django_request = getattr(request, "_request", request)
        if getattr(django_request, "api_counted", False):
            return True  # counted by the API middleware already
        limit = parse_rate(getattr(settings, "API_THROTTLE_RATE", None))
        if limit is None:
            return True
        number, period = limit
        if getattr(cache, "_unavailable_until", 0) > time.monotonic():
            return True  # the shared cache is down (public.cache_backend): not asked meanwhile
        now = time.time()
        window = int(now // period)
        address = client_address(django_request)
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        key = f"inotomsk:api-throttle:{period}:{window}:{digest}"
        try:
            cache.add(key, 0, timeout=period + 1)
            count = cache.incr(key)
        except ValueError:  # the counter expired or was evicted between add and incr
            cache.set(key, 1, timeout=period + 1)
            count = 1
        except Exception as error:  # noqa: BLE001 - a cache outage must not refuse requests
            logger.warning("API throttle skipped, the cache failed: %s", error)
            return True
        if count <= number:
            return True
        self.retry_after = max(1, int((window + 1) * period - now + 0.999))
        return False

    def wait(self):
        return self.retry_after
