"""What the public may see of the news: the one definition used by views, feeds and sitemaps."""

from django.db import models
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles marked published whose publication time has come."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Articles marked published whose publication time is still ahead."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_cards(self):
        """Only the columns an article card and a feed item show, each text in both
        languages (a card shows the other language's where one is missing)."""
        from cms.translated import columns

        texts = columns(self.model, ("title", "lead", "body", "image_alt"))
        return self.only(
            *texts, "slug", "published_at", "updated_at", "image", "image_width", "image_height"
        )
