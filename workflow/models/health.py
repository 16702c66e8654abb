"""What the content-health page shows, computed by tasks (workflow/health.py, linkcheck.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HealthReport(models.Model):
    """The content-health findings for one content version (public/caching.py)."""

    version = models.CharField(max_length=64, unique=True)
    requested_at = models.DateTimeField(default=timezone.now)
    computed_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("content health")
        verbose_name_plural = _("content health")

    def __str__(self):
        return f"{self.version} ({self.computed_at or 'pending'})"


class LinkCheck(models.Model):
    """The last answer of one outbound address found in published texts."""

    url = models.TextField(_("address"))
    url_hash = models.CharField(max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255, db_index=True)
    status_code = models.PositiveSmallIntegerField(_("answer code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    ok = models.BooleanField(_("works"), null=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    # Where the address was found: [{"type": content type id, "id": object id}, ...].
    sources = models.JSONField(default=list)

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["host", "url"]

    def __str__(self):
        return self.url


class PeriodicJob(models.Model):
    """When the worker last started a periodic job (workflow/worker.py)."""

    name = models.CharField(max_length=50, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name
