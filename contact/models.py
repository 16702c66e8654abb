from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContactMessage(models.Model):
    """A message a visitor sent with the form on /contact/: kept as plain text, with the consent
    they gave (its text, version and time, as Russian personal-data law expects) and the state
    of the e-mail that told staff about it. The sender's address is kept only as a keyed hash,
    which tells staff that two messages came from one place and nothing more."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("message status", "New")
        ANSWERED = "answered", pgettext_lazy("message status", "Answered")
        SPAM = "spam", pgettext_lazy("message status", "Spam")

    class Mail(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", pgettext_lazy("e-mail", "Sent")
        FAILED = "failed", _("Not sent: the mail server refused or did not answer")
        SKIPPED = "skipped", _("Not sent: spam, or no staff address is set")

    name = models.CharField(_("sender's name"), max_length=200)
    email = models.EmailField(_("sender's e-mail address"), max_length=254)
    topic = models.CharField(_("topic"), max_length=200)
    message = models.TextField(_("text of the message"))
    language = models.CharField(_("language of the page"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    consent_text = models.TextField(_("consent, as the sender saw it"))
    consent_version = models.CharField(_("version of the consent text"), max_length=20)
    consented_at = models.DateTimeField(_("consent given"))
    client_hash = models.CharField(
        _("sender's address (keyed hash)"),
        max_length=64,
        blank=True,
        help_text=_("The same value means the same network address; the address is not kept."),
    )
    mail_state = models.CharField(
        _("e-mail to staff"), max_length=10, choices=Mail.choices, default=Mail.PENDING
    )
    mailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        indexes = [models.Index(fields=["status", "-received_at"], name="contact_status_received")]

    def __str__(self):
        return Truncator(self.topic).chars(60)
