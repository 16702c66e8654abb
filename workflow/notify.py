"""Who is told of a workflow step, and what they read (in the admin and by e-mail).

A notification names its event and recipient in ``key``, so the same event never tells the
same person twice. Texts are made when shown, in the reader's language, from the entry as it
is then; a reader who may not see entries of that kind reads its kind only, never its text.
E-mail goes out after the commit, as a background task (workflow/mail.py).
"""

import logging

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .adapters import publish_permission
from .models import Notification, ReviewStep

logger = logging.getLogger(__name__)
Action, Kind = ReviewStep.Action, Notification.Kind
# The kind of notification each step makes for its author.
AUTHOR_KINDS = {
    Action.REQUEST_CHANGES: Kind.CHANGES_REQUESTED,
    Action.APPROVE: Kind.APPROVED,
    Action.PUBLISH: Kind.APPROVED,
    Action.SCHEDULE: Kind.SCHEDULED,
    Action.GO_LIVE: Kind.LIVE,
}


def holders_of(permission):
    """Active staff given ``permission`` ("app.codename") by a group or by name."""
    app_label, codename = permission.split(".", 1)
    given = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    users = get_user_model().objects.filter(given, is_active=True, is_staff=True)
    return list(users.distinct().order_by("pk"))


def admin_link(obj):
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def may_read(user, model):
    """Whether user may read unpublished entries of model (in the admin)."""
    opts = model._meta
    return user.is_active and (
        user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        or user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )


def author_of(obj, review):
    """Who wrote the entry: who submitted it, else who added it in the admin (or None)."""
    if review is not None and review.submitted_by_id is not None:
        return review.submitted_by
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=str(obj.pk),
            action_flag=ADDITION,
        )
        .select_related("user")
        .order_by("action_time")
        .first()
    )
    return entry.user if entry is not None else None


def step_taken(obj, review, step):
    """Notify whom ``step`` concerns: publishers of a submission, the author of the rest."""
    actor = step.actor
    if step.action == Action.SUBMIT:
        kind, recipients = Kind.SUBMITTED, holders_of(publish_permission(type(obj)))
    elif step.action in AUTHOR_KINDS and review.submitted_by is not None:
        kind, recipients = AUTHOR_KINDS[step.action], [review.submitted_by]
    else:
        return []
    made = []
    for recipient in recipients:
        if actor is not None and recipient.pk == actor.pk:
            continue  # nobody is told of their own step
        made.append(
            create(
                recipient,
                kind,
                key=f"step:{step.pk}:{recipient.pk}",
                review=review,
                actor_name=actor.get_username() if actor else "",
                comment=step.comment,
                when=step.scheduled_for,
                link=admin_link(obj),
            )
        )
    return [n for n in made if n is not None]


def create(recipient, kind, key, **fields):
    """The notification of ``key``, made once; its e-mail queued after the commit."""
    notification, created = Notification.objects.get_or_create(
        key=key, defaults={"recipient": recipient, "kind": kind, **fields}
    )
    if created:
        from .mail import queue_mail  # here: mail imports this module (a cycle)

        transaction.on_commit(lambda: queue_mail(notification.pk))
    return notification if created else None


def entry_of(notification):
    review = notification.review
    return review.content_object if review is not None else None


def entry_text(obj, reader):
    """«Title» (kind) for a reader who may see such entries; the kind alone otherwise."""
    if obj is None:
        return _("a deleted entry")
    kind = str(obj._meta.verbose_name)
    if not may_read(reader, type(obj)):
        return capfirst(kind)
    return _("«%(title)s» (%(kind)s)") % {"title": str(obj), "kind": kind}


def message(notification, obj=None):
    """The notification's text, in the active language."""
    obj = obj if obj is not None else entry_of(notification)
    reader = notification.recipient
    values = {
        "entry": entry_text(obj, reader),
        "actor": notification.actor_name or _("an unknown user"),
        "when": formats.localize(timezone.template_localtime(notification.when))
        if notification.when
        else "",
    }
    texts = {
        Kind.SUBMITTED: _("For review: %(entry)s, submitted by %(actor)s."),
        Kind.CHANGES_REQUESTED: _("Changes requested by %(actor)s: %(entry)s."),
        Kind.APPROVED: _("Published: %(entry)s, approved by %(actor)s."),
        Kind.SCHEDULED: _("Scheduled for %(when)s: %(entry)s, approved by %(actor)s."),
        Kind.LIVE: _("Now on the site, as scheduled: %(entry)s."),
        Kind.REVIEW_DUE: _("Due for review since %(when)s: %(entry)s."),
    }
    if notification.kind == Kind.REVIEW_DUE and notification.when:
        values["when"] = formats.date_format(timezone.localdate(notification.when))
    text = texts[notification.kind] % values
    # The comment is about the entry's text: only for a reader who may see it.
    if notification.comment and obj is not None and may_read(reader, type(obj)):
        text += " " + _("Comment: %(comment)s") % {"comment": notification.comment}
    return text
