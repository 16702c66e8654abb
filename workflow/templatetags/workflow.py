"""``{% workflow_dashboard as workflow %}``: the admin home's workflow lists for the user:
entries waiting for their review, entries returned to them, their unread notifications.

Kept in the cache per user and language until any review or notification changes (a minute
at most, for renamed entries), so the admin home costs no query more than it did.
"""

import uuid

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import get_language

from ..adapters import publishable_models
from ..machine import may_publish
from ..models import Notification, Review, State
from ..notify import admin_link, entry_of, message

register = template.Library()
ROWS = 10
VERSION_KEY = "inotomsk:workflow-dashboard-version"
KEPT_SECONDS = 60


def end_dashboards(**kwargs):
    """Every user's kept lists are stale (a review or a notification changed)."""
    cache.delete(VERSION_KEY)


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
    return version


def _rows(reviews):
    rows = []
    for review in reviews:
        obj = review.content_object
        if obj is None:
            continue
        rows.append(
            {
                "object": str(obj),
                "url": admin_link(obj),
                "kind": str(obj._meta.verbose_name),
                "submitted_by": review.submitted_by.get_username() if review.submitted_by else "",
                "submitted_at": review.submitted_at,
                "comment": review.last_comment,
            }
        )
    return rows


@register.simple_tag(takes_context=True)
def workflow_dashboard(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    key = f"inotomsk:workflow-dashboard:{_version()}:{user.pk}:{get_language()}"
    lists = cache.get(key)
    if lists is None:
        lists = _lists(user)
        cache.set(key, lists, KEPT_SECONDS)
    return lists


def _lists(user):
    models = [model for model in publishable_models() if may_publish(user, model)]
    types = ContentType.objects.get_for_models(*models).values() if models else []
    waiting = Review.objects.none()
    if types:
        waiting = (
            Review.objects.filter(state=State.IN_REVIEW, content_type__in=list(types))
            .select_related("submitted_by")
            .prefetch_related("content_object")
            .order_by("submitted_at")[:ROWS]
        )
    returned = (
        Review.objects.filter(state=State.CHANGES_REQUESTED, submitted_by=user)
        .select_related("submitted_by")
        .prefetch_related("content_object")
        .order_by("-updated_at")[:ROWS]
    )
    unread = Notification.objects.filter(Q(recipient=user) & Q(is_read=False))
    notifications = [
        {"text": message(n, entry_of(n)), "link": n.link, "at": n.created_at}
        for n in unread.select_related("recipient", "review").prefetch_related(
            "review__content_object"
        )[:ROWS]
    ]
    return {
        "waiting": _rows(waiting),
        "returned": _rows(returned),
        "notifications": notifications,
        "unread_count": unread.count(),
    }
