"""The two editorial roles, as permission groups.

Editors add and change content but cannot publish, unpublish or delete it; publishers can.
Publishing is a custom permission, ``<app>.publish_<model>``, on each publishable model. The
groups are made by a data migration (``news`` 0004) that calls ``sync_groups``.
"""

from django.utils.translation import gettext_lazy as _

EDITORS = "Editors"
PUBLISHERS = "Publishers"

# Every content model of the CMS, as (app label, model name).
CONTENT_MODELS = [
    ("portal", "direction"),
    ("portal", "keyfact"),
    ("portal", "keyfactpart"),
    ("portal", "parktype"),
    ("portal", "stakeholder"),
    ("portal", "park"),
    ("portal", "project"),
    ("portal", "projectstakeholder"),
    ("clusters", "cluster"),
    ("clusters", "clustermembership"),
    ("news", "article"),
    ("events", "event"),
    ("programme", "roadmapaction"),
    ("programme", "page"),
    ("programme", "document"),
]
PUBLISHABLE_MODELS = [
    ("portal", "stakeholder"),
    ("portal", "park"),
    ("portal", "project"),
    ("clusters", "cluster"),
    ("news", "article"),
    ("events", "event"),
    ("programme", "roadmapaction"),
    ("programme", "page"),
    ("programme", "document"),
]
# Rows that link two entries (a stakeholder's role in a project): removing one is part of
# changing the entry, as unticking an M2M choice is, so editors may delete these.
# A key figure's further figures are parts of it in the same way.
LINK_MODELS = [
    ("portal", "projectstakeholder"),
    ("clusters", "clustermembership"),
    ("portal", "keyfactpart"),
]

REFUSED_PUBLISH = _(
    "Only publishers can publish or unpublish: leave this as it was, or ask a publisher."
)
REFUSED_RESCHEDULE = _("Only publishers can change the time of a published article.")


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
