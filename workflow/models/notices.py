"""Notifications for staff, and each user's choice of language and e-mail."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserPreference(models.Model):
    """How a user is told: the language of their e-mails, and whether to e-mail at all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workflow_preference"
    )
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    email_enabled = models.BooleanField(
        _("e-mail me"),
        default=True,
        help_text=_("Untick to see notifications in the admin only."),
    )

    class Meta:
        verbose_name = _("notification profile")
        verbose_name_plural = _("notification profiles")

    def __str__(self):
        return str(self.user)


class Notification(models.Model):
    """Something a user should know: shown unread on the admin home, and e-mailed.

    ``key`` names the event and the recipient, so the same event never makes two
    notifications (nor two e-mails) for one person, even when a task runs again.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        APPROVED = "approved", _("approved and published")
        SCHEDULED = "scheduled", _("scheduled")
        LIVE = "live", _("published as scheduled")
        REVIEW_DUE = "review_due", _("due for review")

    class Mail(models.TextChoices):
        PENDING = "pending", _("to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        OFF = "off", _("not sent: e-mail off")
        NO_ADDRESS = "no_address", _("not sent: no address")

    key = models.CharField(max_length=200, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="workflow_notifications",
    )
    kind = models.CharField(_("kind of notification"), max_length=20, choices=Kind.choices)
    review = models.ForeignKey(
        "workflow.Review", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    when = models.DateTimeField(null=True, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    is_read = models.BooleanField(_("read"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    mail_state = models.CharField(
        _("e-mail"), max_length=12, choices=Mail.choices, default=Mail.PENDING
    )
    mail_attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    mail_error = models.TextField(_("last error"), blank=True)
    mail_next_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "is_read"]),
            models.Index(fields=["mail_state", "mail_next_at"]),
        ]

    def __str__(self):
        return f"{self.recipient} #{self.pk}"
