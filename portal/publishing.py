"""One rule for "public": what the public may see of each model, said once.

A model the public sees inherits ``PublicModel`` and states ``public_rule``, the conditions a
row must meet as {lookup: value}; a callable value is the time of asking (``timezone.now``),
read when the rule is (or given: ``published(at=…)``):

- directory entries, roadmap actions, site pages, documents: ``{"is_published": True}``;
- articles: ``{"status": "published", "published_at__lte": lambda: timezone.now()}``;
- events: ``{"status": "published"}``.

Everything else comes from it, with no other restatement:

- ``PublicQuerySet.published()``: the rows the public may see, in SQL;
- ``PublicModel.is_public``: whether one loaded row is one of them, in Python;
- ``public_condition(model, path)``: the rule across a relation (``clusters__is_published``);
- ``published_related(model, relation)``: the ``Prefetch`` of the related rows the public may
  see, for detail pages, downloads and the API.

A model without a rule (directions, park types: never drafts) is always public.
"""

import operator

from django.db import models
from django.db.models import Prefetch, Q

# The lookups a rule may use, and their meaning for a loaded row.
LOOKUPS = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def _rule(model, at=None):
    rule = getattr(model, "public_rule", {})
    return {
        lookup: (value() if at is None else at) if callable(value) else value
        for lookup, value in rule.items()
    }


def reads_clock(model):
    """Whether ``model``'s rule compares with the time of asking (a scheduled article): a
    query of its public rows then differs from one moment to the next."""
    return any(callable(value) for value in getattr(model, "public_rule", {}).values())


def public_condition(model, path="", at=None):
    """The Q of the rows of ``model`` the public may see, reached through ``path`` (a
    relation from the queried model, "" for the model itself), at the time ``at`` (default:
    now) where the rule reads the clock."""
    prefix = f"{path}__" if path else ""
    return Q(**{prefix + lookup: value for lookup, value in _rule(model, at).items()})


class PublicQuerySet(models.QuerySet):
    """The queryset of a model with a ``public_rule``."""

    def published(self, at=None):
        """The rows the public may see (at the time ``at``: default now)."""
        return self.filter(public_condition(self.model, at=at))


class PublicModel(models.Model):
    """A model some of whose rows the public may see (``public_rule``)."""

    public_rule = {}

    class Meta:
        abstract = True

    @property
    def is_public(self):
        """Whether the public may see this row: the rule of ``published()``, read in Python."""
        for lookup, expected in _rule(type(self)).items():
            field, _sep, operation = lookup.partition("__")
            value = getattr(self, field)
            if value is None or not LOOKUPS[operation or "exact"](value, expected):
                return False
        return True


def public_rows(model):
    """The rows of ``model`` the public may see (all of a model without a rule)."""
    return model._default_manager.filter(public_condition(model))


def published_related(model, relation, *, queryset=None, only=None, to_attr=None):
    """The ``Prefetch`` of ``relation`` of ``model`` holding only what the public may see.

    Related rows with a rule (clusters, projects, articles…) are kept where public. Link rows
    with a role (project roles, cluster memberships), which have no rule of their own, are
    kept where the entry at their other end is public, with that entry joined. ``queryset``
    gives the rows as they are shown; ``only`` their columns; ``to_attr`` where they go.
    """
    related = model._meta.get_field(relation).related_model
    rows = queryset if queryset is not None else related._default_manager.all()
    if getattr(related, "public_rule", None):
        rows = rows.filter(public_condition(related))
    else:
        for end in related._meta.concrete_fields:
            target = end.related_model if end.is_relation else None
            if target is not None and target is not model and getattr(target, "public_rule", None):
                rows = rows.filter(public_condition(target, end.name)).select_related(end.name)
    if only is not None:
        rows = rows.only(*only)
    return Prefetch(relation, queryset=rows, to_attr=to_attr)
