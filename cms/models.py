"""The admin platform's own tables: the log-in throttle's counters (cms/throttle.py) and the
large spreadsheet imports waiting for the worker (cms/queued_imports.py)."""

from django.conf import settings
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


class SpreadsheetImport(models.Model):
    """A large spreadsheet import, confirmed in the admin and done by the worker
    (cms/queued_imports.py): its file until then, its outcome afterwards."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        DONE = "done", _("imported")
        FAILED = "failed", _("not imported")

    model = models.CharField(_("model"), max_length=100)  # app_label.ModelName
    resource = models.CharField(_("resource"), max_length=200)  # dotted path of its class
    input_format = models.CharField(_("format"), max_length=40)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    data = models.BinaryField(_("file"), blank=True)  # emptied once imported
    rows = models.PositiveIntegerField(_("rows"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    totals = models.JSONField(_("totals"), default=dict, blank=True)
    errors = models.TextField(_("errors"), blank=True)
    # When its task was last due to run: the sweep queues it again only an hour after that,
    # so a retry waiting for its time is not doubled.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    # The editor's language when confirming: the worker writes the outcome in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")

    def __str__(self):
        return f"{self.model} {self.file_name} ({self.state})"
