"""The e-mail that tells staff of a new message, sent by a background task (django-tasks, as
the workflow's notifications: at once in immediate mode, by `manage.py run_worker` with the
database backend), queued once the message is committed.

It goes to ``settings.CONTACT_EMAIL`` (DJANGO_CONTACT_EMAIL), as plain text only, in the
language of the page the visitor wrote from, with ``Reply-To`` the sender's address. A failure
is recorded on the message (``mail_state``) and logged, never raised into the request: the
message is stored whatever the mail server does, and staff can send the e-mail again from
the admin.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ContactMessage

logger = logging.getLogger(__name__)
Mail = ContactMessage.Mail


@task()
def send_message_mail(pk):
    """Send message pk's e-mail to staff, if it is waiting to be sent."""
    return deliver(pk)


def queue_mail(pk):
    """Queue the e-mail of message pk after the current transaction commits."""

    def enqueue():
        try:
            send_message_mail.enqueue(pk)
        except Exception:  # noqa: BLE001 - the message is kept; staff can send it again
            logger.exception("Could not queue the e-mail of contact message %s", pk)
            ContactMessage.objects.filter(pk=pk, mail_state=Mail.PENDING).update(
                mail_state=Mail.FAILED
            )

    transaction.on_commit(enqueue)


def compose(message):
    """(subject, body) in the language of the message's page; plain text, never HTML."""
    languages = dict(settings.LANGUAGES)
    with translation.override(message.language or settings.LANGUAGE_CODE):
        subject = _("Message from the INO Tomsk website: %(topic)s") % {
            "topic": " ".join(message.topic.split())
        }
        admin_path = reverse("admin:contact_contactmessage_change", args=[message.pk])
        lines = [
            _("A visitor sent a message with the form on the contact page."),
            "",
            _("Name: %(name)s") % {"name": message.name},
            _("E-mail: %(email)s") % {"email": message.email},
            _("Topic: %(topic)s") % {"topic": message.topic},
            _("Received: %(time)s")
            % {
                "time": formats.date_format(
                    timezone.localtime(message.received_at), "DATETIME_FORMAT"
                )
            },
            _("Language of the page: %(language)s")
            % {"language": str(languages.get(message.language, message.language))},
            "",
            _("Message:"),
            message.message,
            "",
            "-- ",
            _("Reply to this e-mail to answer the sender. Then mark the message as answered:"),
            getattr(settings, "SITE_URL", "") + admin_path,
        ]
    return subject, "\n".join(lines) + "\n"


def deliver(pk):
    """Send the e-mail if the message waits for it; return the mail state afterwards."""
    message = ContactMessage.objects.filter(pk=pk).first()
    if message is None or message.mail_state != Mail.PENDING:
        return message and message.mail_state
    recipient = getattr(settings, "CONTACT_EMAIL", "")
    if not recipient or message.status == ContactMessage.Status.SPAM:
        ContactMessage.objects.filter(pk=pk).update(mail_state=Mail.SKIPPED)
        return Mail.SKIPPED
    # Claimed first, as failed until it is sent: a second task for the same message finds it
    # no longer waiting, and a worker killed mid-send leaves it for staff to send again.
    if not ContactMessage.objects.filter(pk=pk, mail_state=Mail.PENDING).update(
        mail_state=Mail.FAILED
    ):
        return ContactMessage.objects.get(pk=pk).mail_state
    try:
        subject, body = compose(message)
        EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], reply_to=[message.email]
        ).send()
    except Exception as error:  # noqa: BLE001 - recorded; staff can send it again
        logger.warning("E-mail of contact message %s failed: %s", pk, error)
        return Mail.FAILED
    ContactMessage.objects.filter(pk=pk).update(mail_state=Mail.SENT, mailed_at=timezone.now())
    return Mail.SENT


def send_again(queryset):
    """The admin's "send again": messages whose e-mail failed wait again and are queued."""
    pks = list(
        queryset.exclude(status=ContactMessage.Status.SPAM)
        .filter(mail_state__in=[Mail.FAILED, Mail.SKIPPED])
        .values_list("pk", flat=True)
    )
    ContactMessage.objects.filter(pk__in=pks).update(mail_state=Mail.PENDING)
    for pk in pks:
        queue_mail(pk)
    return len(pks)
