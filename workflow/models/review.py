"""One review per publishable entry, and the history of its steps."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    """Where an entry is in the editorial workflow (workflow/machine.py moves it)."""

    DRAFT = "draft", pgettext_lazy("review state", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("review state", "In review")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("review state", "Changes requested")
    SCHEDULED = "scheduled", pgettext_lazy("review state", "Scheduled")
    PUBLISHED = "published", pgettext_lazy("review state", "Published")


class Review(models.Model):
    """The workflow state of one entry (any publishable model), kept beside it.

    The entry's own publication fields stay the truth of what the public sees; the review
    adds what they cannot say: in review, changes requested, scheduled (for the models
    without a publication time), who submitted it, and an optional date to review it by.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author of the draft"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("Optional: a date by which the published entry should be checked again."),
    )
    last_comment = models.TextField(_("last comment"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="workflow_one_review_per_entry"
            )
        ]
        indexes = [models.Index(fields=["state", "content_type"])]

    def __str__(self):
        return f"{self.content_type.model} #{self.object_id}: {self.get_state_display()}"


class ReviewStep(models.Model):
    """One step of a review: who did what, when, with which comment (also in the versions)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted for review")
        REQUEST_CHANGES = "request_changes", _("Changes requested")
        APPROVE = "approve", _("Approved and published")
        SCHEDULE = "schedule", _("Scheduled")
        GO_LIVE = "go_live", _("Published as scheduled")
        PUBLISH = "publish", _("Published directly")
        UNPUBLISH = "unpublish", _("Unpublished")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"
