"""Admin login throttling: a few failures lock the account name and the address for a while.

Counters live in the shared cache (Redis in production), so every process sees them. A name
that does not exist is counted and locked the same way, so the lockout reveals nothing.
"""

import hashlib

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FAILURES_PER_ACCOUNT = 5
FAILURES_PER_ADDRESS = 10
LOCKOUT_SECONDS = 15 * 60


def _keys(username, address):
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
    return f"login-failures:account:{digest}", f"login-failures:address:{address}"


def is_locked(username, address):
    account_key, address_key = _keys(username, address)
    counts = cache.get_many([account_key, address_key])
    return (
        counts.get(account_key, 0) >= FAILURES_PER_ACCOUNT
        or counts.get(address_key, 0) >= FAILURES_PER_ADDRESS
    )


def record_failure(username, address):
    for key in _keys(username, address):
        # The window starts at the first failure; incr keeps it.
        cache.add(key, 0, LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, LOCKOUT_SECONDS)


def clear_account(username):
    cache.delete(_keys(username, "")[0])


def client_address(request):
    """The client's address: REMOTE_ADDR unless a trusted proxy's header is configured.

    X-Forwarded-For is not read by default because a client can forge it; behind a proxy,
    set ``LOGIN_CLIENT_ADDRESS_HEADER`` (e.g. "HTTP_X_REAL_IP") to the header it sets.
    """
    if request is None:
        return ""
    header = getattr(settings, "LOGIN_CLIENT_ADDRESS_HEADER", "REMOTE_ADDR")
    return request.META.get(header) or request.META.get("REMOTE_ADDR", "")


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin login form, refusing further tries once an account or address is locked."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _("Too many failed log-in attempts. Wait %(minutes)d minutes and try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if is_locked(username, address):
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": LOCKOUT_SECONDS // 60},
            )
        try:
            cleaned_data = super().clean()
        except ValidationError:
            record_failure(username, address)
            raise
        clear_account(username)
        return cleaned_data
