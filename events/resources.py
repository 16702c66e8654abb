"""Spreadsheet import and export of events (rules of every import: cms/resources.py).

Times are ISO 8601 (``2027-04-10T10:00:00+03:00``); exported in the event's own time zone. A
time without an offset is read in the row's ``time_zone`` (else the event's, else Tomsk's).
"""

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, widgets

from clusters.models import Cluster
from cms.resources import SlugsWidget, StrictResource
from news.models import Article
from portal.models import Project, Stakeholder

from .models import Event


class LocalTimeWidget(widgets.Widget):
    """An ISO 8601 time; one without an offset is in the row's time zone."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(str(value).strip())
            except ValueError:
                raise ValueError(
                    _("“%(value)s” is not a time: write it as 2027-04-10T10:00:00+03:00.")
                    % {"value": str(value)[:40]}
                ) from None
        if timezone.is_naive(moment):
            name = (row or {}).get("time_zone") or settings.TIME_ZONE
            try:
                zone = zoneinfo.ZoneInfo(str(name).strip())
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
            moment = moment.replace(tzinfo=zone)
        return moment

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


def _texts(*names):
    return [f"{name}_{code}" for name in names for code, _label in settings.LANGUAGES]


class EventResource(StrictResource):
    draft_state = {"status": Event.Status.DRAFT}

    start = fields.Field("start", "start", widget=LocalTimeWidget())
    end = fields.Field("end", "end", widget=LocalTimeWidget())
    clusters = fields.Field("clusters", "clusters", widget=SlugsWidget(Cluster))
    projects = fields.Field("projects", "projects", widget=SlugsWidget(Project))
    stakeholders = fields.Field("stakeholders", "stakeholders", widget=SlugsWidget(Stakeholder))
    articles = fields.Field("articles", "articles", widget=SlugsWidget(Article))

    class Meta(StrictResource.Meta):
        model = Event
        fields = [
            "slug",
            *_texts("title", "place", "description"),
            "start",
            "end",
            "all_day",
            "time_zone",
            "url",
            "clusters",
            "projects",
            "stakeholders",
            "articles",
            "status",
        ]
        export_order = fields

    def dehydrate_start(self, event):
        return event.local_start.isoformat() if event.start else ""

    def dehydrate_end(self, event):
        return event.local_end.isoformat() if event.end else ""
