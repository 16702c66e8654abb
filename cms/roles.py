"""The two editorial roles, as permission groups.

Editors add and change content but cannot publish, unpublish or delete it; publishers can.
Publishing is a custom permission, ``<app>.publish_<model>``, on each publishable model. The
groups are made by a data migration (``news`` 0004) that calls ``sync_groups``.

This app knows no content model: each content app names its own on its AppConfig, by model
name, and the roles read them from the installed apps:

- ``editorial_models``: the content of the CMS, which editors add and change and publishers
  also delete;
- ``publishable_models``: those only publishers publish, each with its publish permission;
- ``link_models``: rows linking two entries (a stakeholder's role in a project). Removing one
  is part of changing the entry, as unticking a many-to-many choice is, so editors may
  delete these; and they are restored with the entry they link (cms/restore.py).
"""

from collections.abc import Sequence

from django.apps import apps as registry
from django.utils.translation import gettext_lazy as _

EDITORS = "Editors"
PUBLISHERS = "Publishers"

REFUSED_PUBLISH = _(
    "Only publishers can publish or unpublish: leave this as it was, or ask a publisher."
)
REFUSED_RESCHEDULE = _("Only publishers can change the time of a published article.")


class DeclaredModels(Sequence):
    """(app label, model name) of each model the installed apps name under one attribute of
    their AppConfig, sorted; read when used, once the apps are loaded."""

    def __init__(self, attribute):
        self.attribute = attribute

    def _models(self):
        return sorted(
            (config.label, name)
            for config in registry.get_app_configs()
            for name in getattr(config, self.attribute, ())
        )

    def __getitem__(self, index):
        return self._models()[index]

    def __len__(self):
        return len(self._models())

    def __iter__(self):
        return iter(self._models())

    def __contains__(self, item):
        return item in self._models()

    def __repr__(self):
        return f"DeclaredModels({self.attribute!r})"


CONTENT_MODELS = DeclaredModels("editorial_models")
PUBLISHABLE_MODELS = DeclaredModels("publishable_models")
LINK_MODELS = DeclaredModels("link_models")


def link_labels():
    """The link models as "app_label.model_name"."""
    return {f"{app}.{model}" for app, model in LINK_MODELS}


def publish_permission(model):
    """The full name of a model's publish permission, e.g. "news.publish_article"."""
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def _codenames(actions, models):
    return {(app, f"{action}_{model}") for app, model in models for action in actions}


def role_permissions():
    """Group name -> set of (app label, codename)."""
    editors = _codenames(["view", "add", "change"], CONTENT_MODELS)
    editors |= _codenames(["delete"], LINK_MODELS)
    publishers = _codenames(["view", "add", "change", "delete"], CONTENT_MODELS)
    publishers |= _codenames(["publish"], PUBLISHABLE_MODELS)
    return {EDITORS: editors, PUBLISHERS: publishers}


def sync_groups(apps):
    """Create the groups and give each exactly its permissions (safe to run again)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=name)
        # A model whose app is not migrated yet has no permissions; that app's own migration
        # syncs the groups again once it has (e.g. events 0002).
        permissions = [
            permission
            for app, codename in sorted(wanted)
            for permission in Permission.objects.filter(
                content_type__app_label=app, codename=codename
            )
        ]
        group.permissions.set(permissions)
