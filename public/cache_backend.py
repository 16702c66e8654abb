"""A Redis cache that a slow or stopped Redis cannot take the site down with.

Every call is bounded by short socket timeouts (settings: ``OPTIONS``); a failed call is
logged and answered as a miss (reads) or skipped (writes), and for ``RETRY_SECONDS`` after a
failure the cache is not asked at all, so a hung Redis costs one timeout, not one per call.
Pages are then served from the database, and everything recovers by itself: the first
call that succeeds after a failure ends the content version, since a change made meanwhile
could not end it.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from .caching import VERSION_KEY

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5


def _skipped_on_failure(method, fallback):
    """``method``, answering ``fallback(*args, **kwargs)`` while Redis fails."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if time.monotonic() < self._unavailable_until:
            return fallback(*args, **kwargs)
        try:
            if self._failed:
                self._failed = False
                RedisCache.delete(self, VERSION_KEY)
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as error:
            self._failed = True
            self._unavailable_until = time.monotonic() + RETRY_SECONDS
            logger.warning("Cache unavailable for %d s: %s", RETRY_SECONDS, error)
            return fallback(*args, **kwargs)

    return wrapper


def _nothing(*args, **kwargs):
    return None


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering a miss when Redis is down or slow."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._unavailable_until = 0.0
        self._failed = False

    get = _skipped_on_failure(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _skipped_on_failure(RedisCache.get_many, lambda *args, **kwargs: {})
    set = _skipped_on_failure(RedisCache.set, _nothing)
    set_many = _skipped_on_failure(RedisCache.set_many, lambda *args, **kwargs: [])
    add = _skipped_on_failure(RedisCache.add, lambda *args, **kwargs: False)
    touch = _skipped_on_failure(RedisCache.touch, lambda *args, **kwargs: False)
    delete = _skipped_on_failure(RedisCache.delete, lambda *args, **kwargs: False)
    delete_many = _skipped_on_failure(RedisCache.delete_many, _nothing)
    has_key = _skipped_on_failure(RedisCache.has_key, lambda *args, **kwargs: False)
    clear = _skipped_on_failure(RedisCache.clear, _nothing)

    def is_available(self):
        """Whether Redis answers now (asked even while calls are being skipped)."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except (RedisError, OSError):
            return False
