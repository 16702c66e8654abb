"""What the worker does on time: publish scheduled entries, remind authors of reviews due.

Each is safe to run again (a worker killed mid-task leaves its task to run once more): an
entry goes live under a lock on its review, in one transaction with its step and
notifications; a reminder is keyed by its review and week.
"""

from datetime import datetime, time, timedelta

import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notify
from .adapters import adapter_for
from .machine import Action, record
from .models import Notification, Review, State

BATCH = 200
REMIND_EVERY = timedelta(days=7)


def publish_due():
    """Publish every entry whose scheduled time has come; the number published."""
    now = timezone.now()
    due = Review.objects.filter(state=State.SCHEDULED, scheduled_for__lte=now)
    return sum(go_live(pk) for pk in list(due.values_list("pk", flat=True)[:BATCH]))


@transaction.atomic
def go_live(pk):
    """Publish the entry of review pk if it is (still) scheduled and due."""
    review = (
        Review.objects.select_for_update()
        .filter(pk=pk, state=State.SCHEDULED, scheduled_for__lte=timezone.now())
        .first()
    )
    if review is None:
        return False  # done meanwhile, or changed
    model = review.content_type.model_class()
    obj = model._default_manager.filter(pk=review.object_id).first() if model else None
    shape = adapter_for(model) if obj is not None else None
    if obj is None or (shape.schedules_itself and not shape.is_public(obj)):
        if obj is not None and shape.is_scheduled(obj):
            review.scheduled_for = obj.published_at  # moved later: it waits
        else:
            review.state, review.scheduled_for = State.DRAFT, None  # deleted or unpublished
        review.save(update_fields=["state", "scheduled_for", "updated_at"])
        return False
    approver = review.steps.filter(action=Action.SCHEDULE).select_related("actor").first()
    with reversion.create_revision():
        changed = shape.publish(obj)
        if changed:
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                changed.append("updated_at")
            obj.save(update_fields=changed)
        reversion.add_to_revision(obj)
        who = approver.actor.get_username() if approver and approver.actor else "?"
        reversion.set_comment(_("Published as scheduled (approved by %(who)s).") % {"who": who})
    record(obj, Action.GO_LIVE, None, from_state=State.SCHEDULED)
    return True


def remind_review_due():
    """Tell each published entry's author, once a week, that its review date has passed."""
    now = timezone.now()
    today = timezone.localdate()
    year, week, _day = today.isocalendar()
    sent = 0
    due = Review.objects.filter(state=State.PUBLISHED, review_by__lte=today).select_related(
        "submitted_by", "content_type"
    )
    for review in due[:BATCH]:
        if review.reminded_at is not None and review.reminded_at > now - REMIND_EVERY:
            continue
        obj = review.content_object
        if obj is None or not adapter_for(type(obj)).is_public(obj):
            continue
        author = notify.author_of(obj, review)
        if author is None:
            continue
        when = timezone.make_aware(datetime.combine(review.review_by, time(12)))
        made = notify.create(
            author,
            Notification.Kind.REVIEW_DUE,
            key=f"review-due:{review.pk}:{review.review_by}:{year}-{week}",
            review=review,
            when=when,
            link=notify.admin_link(obj),
        )
        Review.objects.filter(pk=review.pk).update(reminded_at=now)
        sent += made is not None
    return sent
