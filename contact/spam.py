"""Defences of the feedback form against automated messages, all on our own server (no
third-party captcha, no request to another host):

- a signed time stamp in the form: a form sent sooner than ``MIN_SECONDS`` after it was
  shown, or later than ``MAX_SECONDS``, is refused with a form error (the text is kept);
- a honeypot field people do not see: a message that fills it is kept as spam, unsent;
- a limit of ``RATE_LIMIT`` messages per client address in ``RATE_WINDOW`` seconds, counted
  in the shared cache (cms.addresses.client_address knows the trusted proxies).
"""

import hashlib
import logging
import time

from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from cms.addresses import client_address

logger = logging.getLogger(__name__)

MIN_SECONDS = 3
MAX_SECONDS = 6 * 60 * 60
RATE_LIMIT = 5
RATE_WINDOW = 60 * 60
SALT = "contact.form.issued"


class TooFast(Exception):
    pass


class TooOld(Exception):
    pass


class Forged(Exception):
    pass


def issue():
    """The signed time at which the form is shown."""
    return signing.dumps(int(time.time()), salt=SALT)


def check_issued(token, now=None):
    """Raise ``TooFast``, ``TooOld`` or ``Forged`` unless ``token`` was issued by ``issue()``
    between ``MAX_SECONDS`` and ``MIN_SECONDS`` ago."""
    now = time.time() if now is None else now
    try:
        issued = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        raise Forged from None
    if not isinstance(issued, int):
        raise Forged
    if now - issued < MIN_SECONDS:
        raise TooFast
    if now - issued > MAX_SECONDS:
        raise TooOld


def client_hash(request):
    """A keyed hash of the client's address: equal for equal addresses, not reversible
    without the secret key."""
    address = client_address(request)
    if not address:
        return ""
    return salted_hmac("contact.client", address, algorithm="sha256").hexdigest()


def over_limit(request):
    """Count a message from this client; the seconds to wait if it is over the limit, else 0.

    A fixed window per address, one counter each, as the API's throttle. If the cache fails,
    the message is let through: the limit never loses a visitor's message for an outage.
    """
    now = time.time()
    window = int(now // RATE_WINDOW)
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"inotomsk:contact-rate:{window}:{digest}"
    try:
        cache.add(key, 0, timeout=RATE_WINDOW + 1)
        count = cache.incr(key)
    except ValueError:  # expired or evicted between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW + 1)
        count = 1
    except Exception as error:  # noqa: BLE001 - a cache outage must not refuse messages
        logger.warning("Contact rate limit skipped, the cache failed: %s", error)
        return 0
    if count <= RATE_LIMIT:
        return 0
    return max(1, int((window + 1) * RATE_WINDOW - now + 0.999))
