"""What the public may see of the events, and their calendar order: one definition used by
the pages, the calendar files, the sitemap and search."""

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from cms.translated import columns
from portal.publishing import PublicQuerySet


class EventQuerySet(PublicQuerySet):
    """``published()``: events marked published (``Event.public_rule``); drafts are for staff
    only."""

    def upcoming(self, now=None):
        """Events not over yet (those under way included)."""
        return self.filter(end__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now())

    def in_calendar_order(self, now=None):
        """Upcoming events first, the soonest first; then the past ones, the latest first."""
        now = now or timezone.now()
        is_past = Case(
            When(end__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        upcoming_start = Case(When(end__gte=now, then=F("start")), default=None)
        return self.order_by(is_past, upcoming_start.asc(nulls_last=True), "-start", "-id")

    def for_cards(self):
        """Only the columns an event card, a calendar entry and a sitemap row read, each text
        in both languages."""
        texts = columns(self.model, ("title", "place", "description", "image_alt"))
        return self.only(
            *texts,
            "slug",
            "start",
            "end",
            "all_day",
            "time_zone",
            "url",
            "status",
            "updated_at",
            "created_at",
            "image",
            "image_width",
            "image_height",
        )
