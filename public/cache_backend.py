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


def _skipped_on_failure(default):
    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._unavailable_until:
                return default() if callable(default) else default
            try:
                if self._failed:
                    self._failed = False
                    RedisCache.delete(self, VERSION_KEY)
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                self._failed = True
                self._unavailable_until = time.monotonic() + RETRY_SECONDS
                logger.warning("Cache unavailable for %d s: %s", RETRY_SECONDS, error)
                return default() if callable(default) else default

        return wrapper

    return decorator


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering a miss when Redis is down or slow."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._unavailable_until = 0.0
        self._failed = False

    def get(self, key, default=None, version=None):
        return _skipped_on_failure(default)(RedisCache.get)(self, key, default, version)

    get_many = _skipped_on_failure(dict)(RedisCache.get_many)
    set = _skipped_on_failure(None)(RedisCache.set)
    set_many = _skipped_on_failure(list)(RedisCache.set_many)
    add = _skipped_on_failure(False)(RedisCache.add)
    touch = _skipped_on_failure(False)(RedisCache.touch)
    delete = _skipped_on_failure(False)(RedisCache.delete)
    delete_many = _skipped_on_failure(None)(RedisCache.delete_many)
    has_key = _skipped_on_failure(False)(RedisCache.has_key)
    clear = _skipped_on_failure(None)(RedisCache.clear)

    def is_available(self):
        """Whether Redis answers now (asked even while calls are being skipped)."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except (RedisError, OSError):
            return False
