"""Events in the admin: the draft and publish rules of the articles (cms/publishing.py)."""

import zoneinfo

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.editing import PublicationFilter
from cms.place_picker import PlacePickerAdmin
from cms.publishing import PublishingAdmin
from cms.spreadsheet_admin import SpreadsheetAdmin
from cms.versions import register

from .models import Event, time_zone_names
from .resources import EventResource

# Versions (cms/versions.py); the links are part of each version.
register(Event)

TIMES = ("start", "end")


class EventForm(forms.ModelForm):
    """The start and end are typed and shown as wall-clock times of the event's own zone,
    whatever zone the site runs in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = timezone.get_current_timezone()
        zone = self.instance.zone
        for name in TIMES:
            value = self.initial.get(name)
            if value is not None and timezone.is_aware(value):
                wall = value.astimezone(zone).replace(tzinfo=None)
                # Shown as those digits; equal to the stored instant when posted back unchanged.
                self.initial[name] = timezone.make_aware(wall, current)

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("time_zone")
        if name in time_zone_names():
            zone, current = zoneinfo.ZoneInfo(name), timezone.get_current_timezone()
            for field in TIMES:
                value = cleaned.get(field)
                if value is not None:
                    wall = value.astimezone(current).replace(tzinfo=None)
                    cleaned[field] = wall.replace(tzinfo=zone)
        return cleaned


@admin.register(Event)
class EventAdmin(PlacePickerAdmin, SpreadsheetAdmin, PublishingAdmin):
    resource_classes = [EventResource]  # spreadsheet import and export
    form = EventForm
    list_display = ["title", "local_start", "place", "publication"]
    list_filter = [PublicationFilter, "all_day", "clusters"]
    search_fields = ["title", "place", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start"
    autocomplete_fields = ["clusters", "projects", "stakeholders", "articles"]
    readonly_fields = ["created_at", "first_published_at", "updated_at"]
    list_per_page = 50
    save_on_top = True
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "status"],
                "description": _("Only publishers can publish or unpublish an event."),
            },
        ),
        (
            _("When and where"),
            {
                "fields": ["start", "end", "all_day", "time_zone", "place", "url"],
                "description": _(
                    "Type the start and end as clocks show them where the event takes place "
                    "(its time zone). For an all-day event only the dates count."
                ),
            },
        ),
        (_("Location"), {"fields": ["latitude", "longitude"]}),
        (_("Text"), {"fields": ["description"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Related"), {"fields": ["clusters", "projects", "stakeholders", "articles"]}),
        (
            _("History"),
            {"fields": ["created_at", "first_published_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    @admin.display(description=_("start"), ordering="start")
    def local_start(self, obj):
        start = obj.local_start
        if obj.all_day:
            return start.strftime("%Y-%m-%d")
        return f"{start:%Y-%m-%d %H:%M} ({obj.time_zone})"

    def publication_state(self, obj):
        return {"status": obj.status if obj is not None else Event.Status.DRAFT}

    def set_published(self, obj, publish):
        wanted = Event.Status.PUBLISHED if publish else Event.Status.DRAFT
        if obj.status == wanted:
            return []
        obj.status = wanted
        return ["status"]
