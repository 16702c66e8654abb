"""Logging in to the admin, failing until throttled, and letting time pass."""

from django.db.models import F
from django.urls import reverse

from cms import throttle as security
from cms.models import LoginThrottle

LOGIN = reverse("admin:login")
INVALID = (
    "Please enter the correct username and password for a staff account. "
    "Note that both fields may be case-sensitive."
)


def locked(minutes):
    return f"Too many failed log-in attempts. Wait {minutes} minutes and try again."


def log_in(client, username, password, address="192.0.2.10", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=address
    )


def errors(response):
    return response.context["form"].non_field_errors()


def fail_until_throttled(client, username="olga", address="192.0.2.10"):
    for _ in range(security.PAIR_FREE_FAILURES):
        response = log_in(client, username, "wrong", address=address)
        assert response.status_code == 200
        assert errors(response) == [INVALID]


def let_time_pass(delta):
    """Move every counter into the past, as if ``delta`` had gone by."""
    LoginThrottle.objects.update(
        window_started=F("window_started") - delta, blocked_until=F("blocked_until") - delta
    )
