"""Querysets shared by the directory models: one definition of what the public may see."""

from django.db import models


class PublishableQuerySet(models.QuerySet):
    """Directory entries (projects, clusters, stakeholders, parks) that editors can hide."""

    def published(self):
        return self.filter(is_published=True)
