"""Querysets shared by the directory models (what the public may see: portal.publishing)."""

from .publishing import PublicQuerySet


class PublishableQuerySet(PublicQuerySet):
    """Directory entries (projects, clusters, stakeholders, parks) that editors can hide."""
