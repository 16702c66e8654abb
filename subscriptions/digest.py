"""Digests: what was published since a subscriber's last digest, sent in their language.

``send_digests(frequency)`` sends every due subscriber (confirmed, with that frequency, whose
last digest is a period old) the entries published since their last one, over one SMTP
connection; the entries of a topic are read once per language and starting time, not once
per subscriber. Nothing is sent, and the starting time is kept, when nothing is new.
"""

import logging
from datetime import timedelta

from django.core.mail import get_connection
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from events.models import Event
from news.models import Article

from . import mail
from .models import Subscription
from .tokens import CONFIRM_MAX_AGE

logger = logging.getLogger(__name__)
PERIOD = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
# A digest may run a little early (a scheduler's drift) and still count as due.
SLACK = timedelta(hours=1)
MAX_ITEMS = 30


def new_items(topic, cluster_id, direction_id, since, now):
    """The published entries of a topic between ``since`` and ``now``, in the active language."""
    if topic == Subscription.Topic.EVENTS:
        # By the time an event was first published, as articles go by theirs: a draft
        # started long ago is new when it is published, and only then.
        rows = Event.objects.published().filter(
            first_published_at__gt=since, first_published_at__lte=now
        )
        return [
            (e.title, e.get_absolute_url(), e.local_start)
            for e in rows.order_by("start")[:MAX_ITEMS]
        ]
    rows = Article.objects.published().filter(published_at__gt=since, published_at__lte=now)
    if topic == Subscription.Topic.CLUSTER:
        rows = rows.filter(clusters=cluster_id)
    elif topic == Subscription.Topic.DIRECTION:
        rows = rows.filter(directions=direction_id)
    rows = rows.distinct().order_by("-published_at")[:MAX_ITEMS]
    return [(a.title, a.get_absolute_url(), a.published_at) for a in rows]


def due(frequency, now):
    cutoff = now - PERIOD[frequency] + SLACK
    return Subscription.objects.filter(
        Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=cutoff),
        frequency=frequency,
        confirmed_at__isnull=False,
    ).select_related("cluster", "direction")


def send_digests(frequency, now=None):
    """Send the due digests of one frequency; the number sent."""
    now = now or timezone.now()
    kept = {}  # (language, topic, cluster, direction, since): the entries, read once
    batch, total = [], 0
    connection = get_connection()
    connection.open()
    try:
        for subscription in due(frequency, now).order_by("pk").iterator(chunk_size=1000):
            since = subscription.last_sent_at or subscription.confirmed_at
            key = (
                subscription.language,
                subscription.topic,
                subscription.cluster_id,
                subscription.direction_id,
                since,
            )
            if key not in kept:
                with translation.override(subscription.language):
                    kept[key] = new_items(*key[1:], now)
            if not kept[key]:
                continue  # nothing new: nothing sent, the start stays for next time
            with translation.override(subscription.language):
                subject = gettext("INO Tomsk: %(subject)s, what is new") % {
                    "subject": subscription.subject
                }
            message = mail.message(
                subscription, subject, "digest", {"items": kept[key]}, connection=connection
            )
            try:
                message.send()
            except Exception:  # noqa: BLE001 - one refused address must not stop the rest
                logger.exception("The digest of subscription %s failed", subscription.pk)
                continue
            batch.append(subscription.pk)
            if len(batch) >= 1000:
                total += _mark_sent(batch, now)
                batch = []
    finally:
        connection.close()
    return total + _mark_sent(batch, now)


def _mark_sent(pks, now):
    Subscription.objects.filter(pk__in=pks).update(last_sent_at=now)
    return len(pks)


def expire_unconfirmed(now=None):
    """Delete sign-ups never confirmed within the confirmation link's lifetime."""
    now = now or timezone.now()
    old = now - timedelta(seconds=CONFIRM_MAX_AGE)
    deleted, _ = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=old).delete()
    return deleted
