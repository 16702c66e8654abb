"""Events of the programme: forums, meetings and calls, with their time and place."""

import zoneinfo
from datetime import datetime, time, timedelta
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.models import Cluster
from cms.richtext import RICHTEXT_HELP
from news.models import Article
from portal import coordinates
from portal.models import DefaultLanguageColumns, ImageMixin, Project, Stakeholder
from portal.publishing import PublicModel

from .managers import EventQuerySet

DEFAULT_TIME_ZONE = "Asia/Tomsk"
# The last second of an all-day event's last day, in the event's zone.
END_OF_DAY = time(23, 59, 59)


@lru_cache
def time_zone_names():
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value):
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Asia/Tomsk or Europe/Moscow."),
            code="invalid_time_zone",
            params={"value": str(value)[:64]},
        )


class Event(PublicModel, DefaultLanguageColumns, ImageMixin):
    """A forum, meeting or call. Its times are stored as instants and shown in the event's own
    time zone; an all-day event runs from the start of its first day to the end of its last."""

    text_search_fields = ("title", "place", "description")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", pgettext_lazy("event status", "Published")

    public_rule = {"status": Status.PUBLISHED}

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=300,
        unique=True,
        help_text=_("The event's address; keep it once published, as links and calendars use it."),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(
        _("all day"),
        default=False,
        help_text=_(
            "For events whose days are known but not their hours: only the dates of the start "
            "and end are used."
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_(
            "Where the event takes place, as a time zone name (Asia/Tomsk, Europe/Moscow). "
            "The start and end are read and shown in this zone."
        ),
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    # Its place on the map (portal/coordinates.py); ``place`` is its address text.
    latitude = coordinates.latitude_field()
    longitude = coordinates.longitude_field()
    description = models.TextField(_("description"), blank=True, help_text=RICHTEXT_HELP)
    url = models.URLField(_("registration or details URL"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    clusters = models.ManyToManyField(
        Cluster, blank=True, related_name="events", verbose_name=_("clusters")
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="events", verbose_name=_("projects")
    )
    stakeholders = models.ManyToManyField(
        Stakeholder, blank=True, related_name="events", verbose_name=_("stakeholders")
    )
    articles = models.ManyToManyField(
        Article, blank=True, related_name="events", verbose_name=_("articles")
    )
    # Set when the event is first published, by whatever publishes it (the form, an action,
    # the workflow, an import), and kept if it is unpublished: digests take new events by it,
    # as they take articles by their publication time, so a draft published today is new
    # today and a republished event is not new again. Not ``published_at``: to the workflow
    # that name is a schedule (workflow/adapters.py), and an event is public by its status.
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-id"]
        get_latest_by = "start"
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [("publish_event", _("Can publish and unpublish events"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="event_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_published_at__isnull=False),
                name="event_published_has_time",
            ),
            *coordinates.range_constraints("event"),
            coordinates.both_or_neither("event"),
        ]
        indexes = [
            models.Index(fields=["status", "end", "start"], name="event_status_end"),
            models.Index(fields=["-start", "-id"], name="event_start"),
            models.Index(fields=["-updated_at"], name="event_updated"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event-detail", kwargs={"slug": self.slug})

    def get_calendar_url(self):
        return reverse("events:event-calendar", kwargs={"slug": self.slug})

    @property
    def zone(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)

    @property
    def local_start(self):
        return self.start.astimezone(self.zone)

    @property
    def local_end(self):
        return self.end.astimezone(self.zone)

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def is_one_day(self):
        return self.local_start.date() == self.local_end.date()

    @property
    def utc_offset(self):
        """The zone's offset at the start, e.g. "UTC+07:00"."""
        offset = self.local_start.utcoffset() or timedelta(0)
        sign = "-" if offset < timedelta(0) else "+"
        minutes = abs(int(offset.total_seconds())) // 60
        return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"

    def normalise_all_day(self):
        """An all-day event runs from 00:00 of its first day to 23:59:59 of its last, in its
        zone (the same result however often it is applied)."""
        if not (self.all_day and self.start and self.end):
            return
        zone = self.zone
        first = self.start.astimezone(zone).date()
        last = self.end.astimezone(zone).date()
        self.start = datetime.combine(first, time(0), tzinfo=zone)
        self.end = datetime.combine(last, END_OF_DAY, tzinfo=zone)

    def keep_first_publication(self):
        """Take the stored first publication time when this copy has none: a version restored
        from before the first publication carries none, and the event must not become new
        again for the digests. Returns whether it took one."""
        if self.pk is None or self.first_published_at is not None:
            return False
        stored = Event._base_manager.filter(pk=self.pk).values_list("first_published_at")
        self.first_published_at = next((at for (at,) in stored), None)
        return self.first_published_at is not None

    def time_publication(self):
        """Record the first publication: a published event without that time gets now (the
        stored time, if it has one). Returns whether it set the time."""
        if self.keep_first_publication():
            return True
        if self.status == self.Status.PUBLISHED and self.first_published_at is None:
            self.first_published_at = timezone.now()
            return True
        return False

    def clean(self):
        super().clean()
        self.time_publication()  # before the form checks the constraint
        self.normalise_all_day()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end cannot be before the start.")})
        coordinates.check_place(self)

    def save(self, *args, **kwargs):
        self.normalise_all_day()
        if self.time_publication():
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "first_published_at" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "first_published_at"]
        super().save(*args, **kwargs)


@receiver(pre_save, sender=Event)
def _keep_first_publication_on_revert(sender, instance, raw, **kwargs):
    # django-reversion restores a version with a raw save, which skips Event.save().
    if raw:
        instance.keep_first_publication()
