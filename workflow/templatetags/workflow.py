"""``{% workflow_dashboard as workflow %}``: the admin home's workflow lists for the user:
entries waiting for their review, entries returned to them, their unread notifications."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from ..adapters import publishable_models
from ..machine import may_publish
from ..models import Notification, Review, State
from ..notify import admin_link, entry_of, message

register = template.Library()
ROWS = 10


def _rows(reviews):
    rows = []
    for review in reviews:
        obj = review.content_object
        if obj is None:
            continue
        rows.append(
            {
                "object": obj,
                "url": admin_link(obj),
                "kind": obj._meta.verbose_name,
                "review": review,
            }
        )
    return rows


@register.simple_tag(takes_context=True)
def workflow_dashboard(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
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
