"""The news querysets: what the public may see (``Article.public_rule``), what is scheduled."""

from django.utils import timezone

from cms.translated import columns
from portal.publishing import PublicQuerySet


class ArticleQuerySet(PublicQuerySet):
    """``published()``: articles marked published whose publication time has come
    (``Article.public_rule``)."""

    def scheduled(self):
        """Articles marked published whose publication time is still ahead."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_cards(self):
        """Only the columns an article card and a feed item show, each text in both
        languages (a card shows the other language's where one is missing)."""
        texts = columns(self.model, ("title", "lead", "body", "image_alt"))
        return self.only(
            *texts, "slug", "published_at", "updated_at", "image", "image_width", "image_height"
        )
