"""E-mail of notifications, sent by a background task, retried with backoff.

A notification's e-mail is claimed before it is sent (``pending`` → ``sending``, one claimer
wins), so two tasks never send it twice; a claim not finished within ``CLAIM_SECONDS`` (a
worker killed mid-send) is tried again. A failed send waits ``BACKOFF`` before the next try;
after ``MAX_ATTEMPTS`` it stays ``failed``, listed for staff in the admin (Notifications,
filter "e-mail"), where "Send the e-mail again" retries it. Nothing here raises into a request.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Notification, UserPreference
from .notify import entry_of, message

logger = logging.getLogger(__name__)
Mail = Notification.Mail
MAX_ATTEMPTS = 6
# Seconds to wait after the first, second... failed attempt.
BACKOFF = [60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600]
CLAIM_SECONDS = 10 * 60
DUE_BATCH = 200


def preference(user):
    """The user's e-mail settings (the defaults until they change them)."""
    found = UserPreference.objects.filter(user=user).first()
    return found or UserPreference(user=user, language=settings.LANGUAGE_CODE)


def queue_mail(pk):
    """Queue the e-mail of notification pk; any failure is logged, the sweep retries."""
    from .tasks import send_notification_mail  # here: tasks import this module (a cycle)

    try:
        send_notification_mail.enqueue(pk)
    except Exception:  # noqa: BLE001 - an editor's save must never fail for the e-mail
        logger.exception("Could not queue the e-mail of notification %s", pk)


def _due():
    now = timezone.now()
    return Q(mail_state__in=[Mail.PENDING, Mail.SENDING]) & (
        Q(mail_next_at__isnull=True) | Q(mail_next_at__lte=now)
    )


def queue_due():
    """Queue the e-mails that are due: new, to retry, or claimed by a worker that died."""
    pks = list(
        Notification.objects.filter(_due()).order_by("pk").values_list("pk", flat=True)[:DUE_BATCH]
    )
    for pk in pks:
        queue_mail(pk)
    return len(pks)


def _claim(pk):
    now = timezone.now()
    claimed = Notification.objects.filter(_due(), pk=pk).update(
        mail_state=Mail.SENDING,
        mail_attempts=F("mail_attempts") + 1,
        mail_next_at=now + timedelta(seconds=CLAIM_SECONDS),
    )
    return claimed == 1


def compose(notification):
    """(subject, body) in the recipient's language; no entry text for a reader without the
    permission to see it (workflow/notify.py)."""
    language = preference(notification.recipient).language
    with translation.override(language):
        obj = entry_of(notification)
        text = message(notification, obj)
        link = f"{settings.SITE_URL}{notification.link}" if notification.link else ""
        subject = render_to_string(
            "workflow/email/notification_subject.txt",
            {"kind": notification.get_kind_display()},
        )
        body = render_to_string(
            "workflow/email/notification.txt",
            {
                "message": text,
                "link": link,
                "settings_link": settings.SITE_URL + reverse("admin:workflow_userpreference_mine"),
                "user": notification.recipient,
            },
        )
    return " ".join(subject.split()), body


def deliver(pk):
    """Send notification pk's e-mail if due; return its mail state afterwards."""
    notification = Notification.objects.select_related("recipient", "review").filter(pk=pk).first()
    if notification is None:
        return None
    recipient = notification.recipient
    if notification.mail_state in (Mail.PENDING, Mail.SENDING):
        skip = None
        if not preference(recipient).email_enabled:
            skip = Mail.OFF
        elif not recipient.email or not recipient.is_active:
            skip = Mail.NO_ADDRESS
        if skip is not None:
            Notification.objects.filter(pk=pk).update(mail_state=skip, mail_next_at=None)
            return skip
    if not _claim(pk):
        return Notification.objects.get(pk=pk).mail_state
    notification.refresh_from_db()
    try:
        subject, body = compose(notification)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
        attempts = notification.mail_attempts
        failed = attempts >= MAX_ATTEMPTS
        wait = BACKOFF[min(attempts, len(BACKOFF)) - 1]
        Notification.objects.filter(pk=pk).update(
            mail_state=Mail.FAILED if failed else Mail.PENDING,
            mail_error=f"{type(error).__name__}: {error}"[:500],
            mail_next_at=None if failed else timezone.now() + timedelta(seconds=wait),
        )
        logger.warning("E-mail of notification %s failed (attempt %s)", pk, attempts)
        return Mail.FAILED if failed else Mail.PENDING
    Notification.objects.filter(pk=pk).update(
        mail_state=Mail.SENT, mailed_at=timezone.now(), mail_next_at=None, mail_error=""
    )
    return Mail.SENT


def retry(queryset):
    """Staff's "send again": failed e-mails become pending and are queued at once."""
    pks = list(queryset.filter(mail_state=Mail.FAILED).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=pks).update(
        mail_state=Mail.PENDING, mail_attempts=0, mail_next_at=None
    )
    for pk in pks:
        queue_mail(pk)
    return len(pks)
