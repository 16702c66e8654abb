"""The subscriptions' e-mails: the confirmation and the digests, each with one-click
unsubscribe (RFC 8058: ``List-Unsubscribe`` and ``List-Unsubscribe-Post``) and a link."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import tokens


def links(subscription):
    """The absolute addresses a message carries, in the subscriber's language."""
    with translation.override(subscription.language):
        manage = tokens.make(subscription, tokens.MANAGE_SALT)
        return {
            "manage": settings.SITE_URL + reverse("subscriptions:manage", args=[manage]),
            "unsubscribe": settings.SITE_URL + reverse("subscriptions:unsubscribe", args=[manage]),
        }


def message(subscription, subject, template, context, connection=None):
    """One message with text and HTML parts, built in the subscriber's language."""
    addresses = links(subscription)
    with translation.override(subscription.language):
        context = {
            **context,
            "subscription": subscription,
            "links": addresses,
            "site_url": settings.SITE_URL,
        }
        text = render_to_string(f"subscriptions/email/{template}.txt", context)
        html = render_to_string(f"subscriptions/email/{template}.html", context)
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[subscription.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{addresses['unsubscribe']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    mail.attach_alternative(html, "text/html")
    return mail


def send_confirmation(subscription):
    with translation.override(subscription.language):
        token = tokens.make(subscription, tokens.CONFIRM_SALT)
        confirm = settings.SITE_URL + reverse("subscriptions:confirm", args=[token])
        subject = str(translation.gettext("Confirm your INO Tomsk subscription"))
    message(subscription, subject, "confirm", {"confirm_url": confirm}).send()
