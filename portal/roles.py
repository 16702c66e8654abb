"""Moved to cms/roles.py; this name stays until the modules still importing it are updated."""

from cms.roles import (  # noqa: F401
    CONTENT_MODELS,
    EDITORS,
    LINK_MODELS,
    PUBLISHABLE_MODELS,
    PUBLISHERS,
    REFUSED_PUBLISH,
    REFUSED_RESCHEDULE,
    publish_permission,
    role_permissions,
    sync_groups,
)
