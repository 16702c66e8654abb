"""The admin platform's own table: the log-in throttle's counters (cms/throttle.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginThrottle(models.Model):
    """Failed admin log-ins counted under a hashed key (cms/throttle.py).

    In the database rather than the cache: every process shares the counters, they survive
    restarts, and a row lock makes reserving an attempt atomic.
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    # A name-and-address row's address key: an address keeps a bounded number of such rows.
    address_key = models.CharField(_("address key"), max_length=64, blank=True, db_index=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    window_started = models.DateTimeField(_("window started"), db_index=True)
    blocked_until = models.DateTimeField(_("blocked until"), null=True, blank=True)

    class Meta:
        # The table made when the model was portal's (portal 0004): kept, with its rows.
        db_table = "portal_loginthrottle"
        verbose_name = _("log-in throttle")
        verbose_name_plural = _("log-in throttles")

    def __str__(self):
        return f"{self.key[:12]}… {self.failures}"
