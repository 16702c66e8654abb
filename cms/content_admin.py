"""The base class of the content admins."""

from .edit_conflicts import EditConflictMixin
from .versions import VersionedAdmin


class ContentAdmin(EditConflictMixin, VersionedAdmin):
    """Base of the content admins: versions, restore and recover (cms/versions.py), and
    edit-conflict checks (cms/edit_conflicts.py)."""
