"""A subscription to the news (all, a cluster's, a direction's) or to the events calendar.

A sign-up is unconfirmed until its address confirms it (double opt-in); unconfirmed rows
expire. Ending a subscription deletes its row, address and consent with it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from portal.models import Direction

# The consent a sign-up agrees to; its version is stored with each agreement. Change the
# version whenever the text changes.
CONSENT_VERSION = "2026-12-1"
CONSENT_TEXT = _(
    "I agree that the INO Tomsk programme portal stores my e-mail address to send me the "
    "digest I chose, until I unsubscribe. The address is not shown or passed to anyone."
)


class Subscription(models.Model):
    """One address's subscription to one topic, in one language and at one frequency."""

    class Topic(models.TextChoices):
        ALL = "all", _("All news")
        CLUSTER = "cluster", _("A cluster's news")
        DIRECTION = "direction", _("A direction's news")
        EVENTS = "events", _("Events calendar")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    email = models.EmailField(_("e-mail address"), max_length=254, db_index=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    topic = models.CharField(_("topic"), max_length=10, choices=Topic.choices, default=Topic.ALL)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("cluster")
    )
    direction = models.ForeignKey(
        Direction, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("direction")
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)
    last_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    # The consent as agreed: its text in the language shown, its version and time.
    consent_text = models.TextField(_("consent text"))
    consent_version = models.CharField(_("consent version"), max_length=20)
    consented_at = models.DateTimeField(_("consent given"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        permissions = [("export_subscription", _("Can export subscribers' addresses"))]
        indexes = [models.Index(fields=["frequency", "confirmed_at"], name="subscription_due")]

    def __str__(self):
        return f"{self.get_topic_display()} #{self.pk}"  # never the address

    @property
    def subject(self):
        """What the subscription follows, in words (the cluster or direction where chosen)."""
        if self.topic == self.Topic.CLUSTER and self.cluster:
            return self.cluster.name
        if self.topic == self.Topic.DIRECTION and self.direction:
            return self.direction.name
        return self.get_topic_display()
