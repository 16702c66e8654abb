"""How the workflow reads and writes an entry's own publication fields: one small adapter per
shape, so the state machine never names a model's fields.

- ``BooleanShape``: ``is_published`` (projects, clusters, stakeholders, parks, pages,
  documents, roadmap actions). A time to publish is kept on the review; the worker publishes.
- ``StatusShape``: ``status`` of ``Status.DRAFT`` or ``Status.PUBLISHED`` (events); the same.
- ``StatusTimeShape``: ``status`` and ``published_at`` (articles): a published article with a
  future time is scheduled and appears by itself, so scheduling is the article's own.
"""

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from cms.roles import PUBLISHABLE_MODELS, publish_permission

__all__ = ["adapter_for", "publish_permission", "publishable_models", "shape_of"]


class BooleanShape:
    """An entry published when its ``is_published`` is ticked."""

    schedules_itself = False

    def __init__(self, model):
        self.model = model

    def is_public(self, obj):
        return bool(obj.is_published)

    def is_scheduled(self, obj):
        """Whether the entry's own fields hold a future publication (never, for this shape)."""
        return False

    def public_q(self):
        return Q(is_published=True)

    def scheduled_q(self):
        """Entries whose own fields schedule them (None: the shape cannot)."""
        return None

    def publish(self, obj, when=None):
        """Publish obj in memory (at ``when``, where the shape can); return the changed fields."""
        if obj.is_published:
            return []
        obj.is_published = True
        return ["is_published"]

    def unpublish(self, obj):
        if not obj.is_published:
            return []
        obj.is_published = False
        return ["is_published"]


class StatusShape(BooleanShape):
    """An entry published when its status is ``Status.PUBLISHED``."""

    def is_public(self, obj):
        return obj.status == self.model.Status.PUBLISHED

    def public_q(self):
        return Q(status=self.model.Status.PUBLISHED)

    def publish(self, obj, when=None):
        if self.is_public(obj):
            return []
        obj.status = self.model.Status.PUBLISHED
        return ["status"]

    def unpublish(self, obj):
        if obj.status == self.model.Status.DRAFT:
            return []
        obj.status = self.model.Status.DRAFT
        return ["status"]


class StatusTimeShape(StatusShape):
    """A status and a publication time: public once published and the time has come."""

    schedules_itself = True

    def is_public(self, obj):
        published = obj.status == self.model.Status.PUBLISHED
        return published and obj.published_at is not None and obj.published_at <= timezone.now()

    def is_scheduled(self, obj):
        published = obj.status == self.model.Status.PUBLISHED
        return published and obj.published_at is not None and obj.published_at > timezone.now()

    def public_q(self):
        return Q(status=self.model.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled_q(self):
        return Q(status=self.model.Status.PUBLISHED, published_at__gt=timezone.now())

    def publish(self, obj, when=None):
        now = timezone.now()
        when = when or now
        if self.is_public(obj) and when <= now:
            return []
        obj.status = self.model.Status.PUBLISHED
        obj.published_at = when
        return ["status", "published_at"]


def shape_of(model):
    """The adapter for model, by the fields it has (None: not publishable)."""
    names = {field.name for field in model._meta.concrete_fields}
    if "is_published" in names:
        return BooleanShape(model)
    if "status" in names and hasattr(model, "Status") and hasattr(model.Status, "PUBLISHED"):
        return StatusTimeShape(model) if "published_at" in names else StatusShape(model)
    return None


def publishable_models():
    """The models the workflow covers: every model with a publish permission."""
    return [apps.get_model(app, name) for app, name in PUBLISHABLE_MODELS]


def adapter_for(model):
    """The adapter of a publishable model; LookupError for any other."""
    key = (model._meta.app_label, model._meta.model_name)
    if key not in PUBLISHABLE_MODELS:
        raise LookupError(f"{model._meta.label} is not publishable")
    shape = shape_of(model)
    if shape is None:
        raise LookupError(f"{model._meta.label} has no publication fields the workflow knows")
    return shape
