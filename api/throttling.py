"""The API's budget per client address: the setting ``API_THROTTLE_RATE`` ("300/min"; None or
"" turns it off), counted by ``portal.ratelimit`` as the downloads' limit is; a client over it
gets 429 with ``Retry-After``."""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from portal.ratelimit import wait_for


class AddressRateThrottle(BaseThrottle):
    """Counts each API request once (the API middleware does, before the view)."""

    def allow_request(self, request, view):
        django_request = getattr(request, "_request", request)
        if getattr(django_request, "api_counted", False):
            return True  # counted by the API middleware already
        rate = getattr(settings, "API_THROTTLE_RATE", None)
        self.retry_after = wait_for("api", rate, django_request)
        return not self.retry_after

    def wait(self):
        return self.retry_after
