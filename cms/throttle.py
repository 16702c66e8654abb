"""Admin log-in throttling, counted in the database (cms.models.LoginThrottle), no cache.

Failures count per pair of account name and client address: after a few, that pair must wait,
longer after each further failure. The same account from another address is unaffected, so an
attacker cannot lock staff out. A much higher ceiling per address stops one address from trying
many names. Names that do not exist are counted like real ones, so nothing is revealed.

The table stays small whatever an address sends: a refused attempt adds no row, and an address
keeps at most ``PAIR_ROWS_PER_ADDRESS`` name rows that block nothing (plus those blocking now).
"""

import math
import random
from datetime import timedelta

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .addresses import client_address
from .models import LoginThrottle

# Per name and address: this many failures, then a wait of PAIR_FIRST_DELAY, doubling with
# each further failure up to PAIR_MAX_DELAY. Forgotten on success or a day after the first.
PAIR_FREE_FAILURES = 5
PAIR_FIRST_DELAY = timedelta(minutes=1)
PAIR_MAX_DELAY = timedelta(minutes=15)
PAIR_WINDOW = timedelta(days=1)
# Per address, whatever the names: this many failures per window, then nothing until it ends.
ADDRESS_FAILURES = 100
ADDRESS_WINDOW = timedelta(minutes=15)
# Name rows an address keeps that block nothing; a new name first evicts the least failed.
PAIR_ROWS_PER_ADDRESS = ADDRESS_FAILURES
# Share of attempts that also delete rows nobody needs any more; cheap, and no cron job.
PURGE_CHANCE = 0.01


class Throttled(Exception):
    """The attempt is refused without checking the password; ``wait`` is the time left."""

    def __init__(self, wait):
        super().__init__(wait)
        self.wait = wait

    @property
    def minutes(self):
        return max(1, math.ceil(self.wait.total_seconds() / 60))


def _key(*parts):
    # Keyed with the secret key, so the table does not tell which names were tried from where.
    # The salt names the module this began in: changing it would forget every count kept.
    value = "\0".join(parts)
    return salted_hmac("portal.security.LoginThrottle", value, algorithm="sha256").hexdigest()


def pair_key(username, address):
    return _key("pair", username.strip().casefold(), address)


def address_key(address):
    return _key("address", address)


def _locked_row(key, now):
    # Insert-or-ignore, then lock: two first attempts cannot both create the row, and on
    # SQLite the transaction takes the write lock with its first statement.
    LoginThrottle.objects.bulk_create(
        [LoginThrottle(key=key, window_started=now)], ignore_conflicts=True
    )
    return LoginThrottle.objects.select_for_update().get(key=key)


def _store(row):
    # update(), bulk_create() and _raw_delete() send no model signals, and they should not:
    # were the page cache to listen to this model as it listens to the content apps', every
    # log-in attempt would end the content version (and fail with the cache down).
    LoginThrottle.objects.filter(key=row.key).update(
        failures=row.failures, window_started=row.window_started, blocked_until=row.blocked_until
    )


def _new_pair(key, of_address, now):
    """A new name row of an address, after evicting its least failed rows that block nothing
    beyond ``PAIR_ROWS_PER_ADDRESS``. Called under the address row's lock, so the count is
    exact and no other attempt creates the same row meanwhile."""
    idle = LoginThrottle.objects.filter(
        Q(blocked_until__isnull=True) | Q(blocked_until__lte=now), address_key=of_address
    )
    surplus = idle.count() - (PAIR_ROWS_PER_ADDRESS - 1)
    if surplus > 0:
        evicted = idle.order_by("failures", "window_started").values_list("pk", flat=True)
        doomed = LoginThrottle.objects.filter(pk__in=list(evicted[:surplus]))
        doomed._raw_delete(doomed.db)  # without signals, see _store()
    pair = LoginThrottle(key=key, address_key=of_address, window_started=now)
    LoginThrottle.objects.bulk_create([pair])
    return pair


def _pair_delay(failures):
    doublings = min(failures - PAIR_FREE_FAILURES, 10)  # the cap is reached long before
    return min(PAIR_FIRST_DELAY * 2**doublings, PAIR_MAX_DELAY)


def reserve_attempt(username, address):
    """Count the attempt as a failure before its password is checked, or raise ``Throttled``.

    Counting first, under row locks, keeps parallel guesses within the limits: each one takes
    its place before any password is evaluated. ``attempt_succeeded`` gives the place back.
    """
    now = timezone.now()
    if random.random() < PURGE_CHANCE:
        purge_stale(now)
    of_address, key = address_key(address), pair_key(username, address)
    with transaction.atomic():
        # Always the address first, then the pair: one lock order, so no deadlocks. The
        # pair's row is made only for an attempt that counts: a refused one adds no row.
        by_address = _locked_row(of_address, now)
        pair = LoginThrottle.objects.select_for_update().filter(key=key).first()
        now = timezone.now()  # the locks may have been waited for
        if pair and pair.window_started + PAIR_WINDOW <= now and not _blocks(pair, now):
            pair.failures, pair.window_started, pair.blocked_until = 0, now, None
        if by_address.window_started + ADDRESS_WINDOW <= now:
            by_address.failures, by_address.window_started = 0, now
        waits = [timedelta(0)]
        if pair and _blocks(pair, now):
            waits.append(pair.blocked_until - now)
        if by_address.failures >= ADDRESS_FAILURES:
            waits.append(by_address.window_started + ADDRESS_WINDOW - now)
        wait = max(waits)
        if not wait:
            pair = pair or _new_pair(key, of_address, now)
            pair.failures += 1
            if pair.failures >= PAIR_FREE_FAILURES:
                pair.blocked_until = now + _pair_delay(pair.failures)
            by_address.failures += 1
        if pair:
            _store(pair)
        _store(by_address)
    if wait:
        raise Throttled(wait)


def _blocks(row, now):
    return bool(row.blocked_until and row.blocked_until > now)


def attempt_succeeded(username, address):
    """Forget the pair's failures and give the reserved place back to the address.

    The address count is not reset: a valid account of one's own must not clear it.
    """
    # The address first, as reserve_attempt() locks them.
    LoginThrottle.objects.filter(key=address_key(address), failures__gt=0).update(
        failures=F("failures") - 1
    )
    LoginThrottle.objects.filter(key=pair_key(username, address)).update(
        failures=0, blocked_until=None
    )


def purge_stale(now=None):
    """Delete rows whose window ended long ago and that block nothing: they count for nothing."""
    now = now or timezone.now()
    stale = LoginThrottle.objects.filter(
        Q(blocked_until__isnull=True) | Q(blocked_until__lte=now),
        window_started__lt=now - max(PAIR_WINDOW, ADDRESS_WINDOW),
    )
    stale._raw_delete(stale.db)  # without signals, see _store()


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin login form, refusing attempts while their name and address must wait."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _("Too many failed log-in attempts. Wait %(minutes)d minutes and try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (username and password):
            return super().clean()  # no password is checked, so there is no guess to count
        address = client_address(self.request)
        try:
            reserve_attempt(username, address)
        except Throttled as refused:
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": refused.minutes},
            ) from None
        # A refusal here leaves the reserved failure counted.
        cleaned_data = super().clean()
        attempt_succeeded(username, address)
        return cleaned_data
