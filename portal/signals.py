"""Signals of the content apps."""

from django.dispatch import Signal

# Sent after changes that bypass model signals (bulk_create, QuerySet.update), so caches of
# public pages can drop what they hold.
content_changed = Signal()
