"""The editorial workflow's state machine, in one place.

States (``State``): draft → in review → published, or scheduled then published; "request
changes" sends an entry in review (or scheduled) back to its author with a comment. Who may do
what is said once, in ``TRANSITIONS``: anyone who may change the entry submits it; only users
with the model's publish permission approve (now or at a time) or request changes. Every
action is checked here, whatever asks (the admin's buttons, a crafted POST, the worker).

An entry's own publication fields (read through workflow/adapters.py) stay the truth of what
the public sees: ``state_of`` reads them first, then the review for what they cannot say.
``sync`` records publishing done by other means (a publisher's tick box, the list actions).
"""

import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notify
from .adapters import adapter_for, publish_permission
from .models import Review, ReviewStep, State

logger = logging.getLogger(__name__)
Action = ReviewStep.Action
NOT_PUBLISHED = {State.DRAFT, State.IN_REVIEW, State.CHANGES_REQUESTED, State.SCHEDULED}


class WorkflowError(Exception):
    """An action refused: the message says why, for the user."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    publisher_only: bool
    needs_comment: bool = False
    needs_time: bool = False


TRANSITIONS = {
    Action.SUBMIT: Transition(
        frozenset({State.DRAFT, State.CHANGES_REQUESTED}), State.IN_REVIEW, False
    ),
    Action.REQUEST_CHANGES: Transition(
        frozenset({State.IN_REVIEW, State.SCHEDULED}),
        State.CHANGES_REQUESTED,
        True,
        needs_comment=True,
    ),
    Action.APPROVE: Transition(frozenset(NOT_PUBLISHED), State.PUBLISHED, True),
    Action.SCHEDULE: Transition(frozenset(NOT_PUBLISHED), State.SCHEDULED, True, needs_time=True),
}
# Where each step leaves the review, the system's steps included.
TARGETS = {
    **{action: transition.target for action, transition in TRANSITIONS.items()},
    Action.GO_LIVE: State.PUBLISHED,
    Action.PUBLISH: State.PUBLISHED,
    Action.UNPUBLISH: State.DRAFT,
}
COMMENT_MAX = 2000


def may_change(user, model):
    opts = model._meta
    return user.is_active and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def may_publish(user, model):
    return user.is_active and user.has_perm(publish_permission(model))


def review_of(obj):
    """The entry's review row, or None."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return Review.objects.filter(content_type=content_type, object_id=obj.pk).first()


def state_of(obj, review=None):
    """The entry's state: its own fields first (published, or scheduled by its own time), then
    what its review says (in review, changes requested, scheduled by the worker)."""
    shape = adapter_for(type(obj))
    if shape.is_public(obj):
        return State.PUBLISHED
    if shape.is_scheduled(obj):
        return State.SCHEDULED
    if review is not None and review.state in NOT_PUBLISHED:
        if review.state == State.SCHEDULED and shape.schedules_itself:
            return State.DRAFT  # unpublished since: its own fields say so
        return review.state
    return State.DRAFT


def allowed_actions(user, obj, review=None):
    """The actions ``user`` may take on obj now, in ``TRANSITIONS`` order."""
    if obj.pk is None or not may_change(user, type(obj)):
        return []
    state = state_of(obj, review)
    publisher = may_publish(user, type(obj))
    return [
        action
        for action, transition in TRANSITIONS.items()
        if state in transition.sources and (publisher or not transition.publisher_only)
    ]


def check(user, obj, action, comment="", when=None, review=None):
    """Raise WorkflowError unless ``user`` may take ``action`` on obj with these values."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError(_("Unknown workflow action."))
    if transition.publisher_only and not may_publish(user, type(obj)):
        raise WorkflowError(_("Only publishers can approve, schedule or request changes."))
    if action not in allowed_actions(user, obj, review):
        raise WorkflowError(
            _("This cannot be done now: the entry is “%(state)s”.")
            % {"state": State(state_of(obj, review)).label}
        )
    if transition.needs_comment and not comment.strip():
        raise WorkflowError(_("Say what should change: the comment is required."))
    if len(comment) > COMMENT_MAX:
        raise WorkflowError(
            _("The comment is too long (at most %(max)d characters).") % {"max": COMMENT_MAX}
        )
    if transition.needs_time and (when is None or when <= timezone.now()):
        raise WorkflowError(_("Choose a time in the future to publish at."))


def apply(obj, action, when=None):
    """Change obj's own publication fields for ``action`` (in memory); the changed names."""
    shape = adapter_for(type(obj))
    if action == Action.APPROVE:
        return shape.publish(obj)
    if action == Action.SCHEDULE and shape.schedules_itself:
        return shape.publish(obj, when)
    if action == Action.REQUEST_CHANGES and shape.is_scheduled(obj):
        return shape.unpublish(obj)
    return []


def _locked_review(obj):
    content_type = ContentType.objects.get_for_model(type(obj))
    review, _created = Review.objects.get_or_create(content_type=content_type, object_id=obj.pk)
    return Review.objects.select_for_update().get(pk=review.pk)


@transaction.atomic
def record(obj, action, user, comment="", when=None, from_state=None):
    """Store the step taken on obj (already saved) and tell whom it concerns."""
    review = _locked_review(obj)
    from_state = from_state or review.state
    comment = comment.strip()
    if action == Action.SUBMIT:
        review.submitted_by, review.submitted_at = user, timezone.now()
    if action == Action.SCHEDULE:
        review.scheduled_for = when
    elif action in (Action.APPROVE, Action.REQUEST_CHANGES, Action.GO_LIVE, Action.PUBLISH):
        review.scheduled_for = None
    if comment:
        review.last_comment = comment
    review.state = TARGETS[action]
    review.save()
    step = ReviewStep.objects.create(
        review=review,
        action=action,
        from_state=from_state,
        to_state=review.state,
        actor=user,
        comment=comment,
        scheduled_for=when if action == Action.SCHEDULE else None,
    )
    notify.step_taken(obj, review, step)
    if action == Action.SCHEDULE and not adapter_for(type(obj)).schedules_itself:
        transaction.on_commit(lambda: wake_at(when))
    return step


def wake_at(when):
    """Ask the queue to publish what is due at ``when`` (where it can defer a task; the
    worker's periodic job publishes it otherwise, within a minute)."""
    from .tasks import publish_due  # here: tasks import scheduling, which imports this

    try:
        if publish_due.get_backend().supports_defer:
            publish_due.using(run_after=when).enqueue()
    except Exception:  # noqa: BLE001 - the periodic job is there for this
        logger.exception("Could not queue the publication due at %s", when)


def sync(obj, user):
    """Record what a save or a list action did to obj's publication by other means (a
    publisher's tick box, status or time); None when the review already agrees."""
    review = review_of(obj)
    state = state_of(obj, review)
    before = review.state if review is not None else State.DRAFT
    shape = adapter_for(type(obj))
    if state == State.PUBLISHED and before != State.PUBLISHED:
        return record(obj, Action.PUBLISH, user, from_state=before)
    moved = before != State.SCHEDULED or review.scheduled_for != getattr(obj, "published_at", None)
    if state == State.SCHEDULED and shape.is_scheduled(obj) and moved:
        return record(obj, Action.SCHEDULE, user, when=obj.published_at, from_state=before)
    if state == State.DRAFT and before in (State.PUBLISHED, State.SCHEDULED):
        return record(obj, Action.UNPUBLISH, user, from_state=before)
    return None
