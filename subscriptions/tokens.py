"""Signed tokens in the e-mails (django.core.signing): confirm a sign-up, manage or end it.

A confirmation token expires; a manage token lasts as long as its subscription, and names
the address too, so that a token outlives neither the row nor a changed address.
"""

import hashlib

from django.core import signing

CONFIRM_SALT = "subscriptions.confirm"
MANAGE_SALT = "subscriptions.manage"
CONFIRM_MAX_AGE = 3 * 24 * 3600  # seconds; unconfirmed rows expire after the same time


def _address(subscription):
    return hashlib.sha256(subscription.email.lower().encode()).hexdigest()[:16]


def make(subscription, salt):
    return signing.dumps({"id": subscription.pk, "a": _address(subscription)}, salt=salt)


def read(model, token, salt, max_age=None):
    """The subscription a token names, or None (bad, expired, or no longer there)."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        subscription = model.objects.get(pk=int(data["id"]))
    except (signing.BadSignature, model.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    return subscription if _address(subscription) == data.get("a") else None
