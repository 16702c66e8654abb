"""The data sets of the apps that came later (events, the roadmap), offered only where the
app is installed."""

from django.utils.translation import gettext_lazy as _

from events.models import Event
from programme.models import RoadmapAction

from .columns import (
    CLUSTERS,
    SLUG,
    UPDATED,
    URL,
    Column,
    DataSet,
    _direction_name,
    _direction_slug,
    _linked,
    _number,
    _published_with,
    _text,
    _when,
)


def _event_rows():
    return _published_with(Event, "clusters", "projects", "stakeholders", "articles")


def _event_time(name):
    """A time of the event in its own time zone (ISO 8601, with that zone's offset)."""
    return lambda obj: getattr(obj, name).astimezone(obj.zone).isoformat()


def _events_dataset():
    return DataSet(
        identifier="events",
        model_label="events.Event",
        title=_("Events"),
        description=_(
            "Forums, meetings and calls of the programme: upcoming events first, the soonest "
            "first, then the past ones, with the clusters, projects, organisations and news "
            "linked to each."
        ),
        list_url_name="events:event-list",
        api_path="/api/v1/events/",
        rows=_event_rows,
        columns=(
            SLUG,
            Column("title", _("Title."), _text("title")),
            Column(
                "start",
                _("Start (ISO 8601, with the offset of the event's time zone)."),
                _event_time("start"),
            ),
            Column(
                "end",
                _("End (ISO 8601, with the offset of the event's time zone)."),
                _event_time("end"),
            ),
            Column(
                "all_day", _("Whether it lasts whole days (true or false)."), _number("all_day")
            ),
            Column("time_zone", _("The event's time zone."), _text("time_zone")),
            Column("place", _("Place."), _text("place")),
            Column(
                "registration_url",
                _("Address for registration or details, if any."),
                _text("url"),
            ),
            URL,
            *CLUSTERS,
            *_linked(
                "projects",
                _("Names of the projects concerned."),
                _("Identifiers (slugs) of the projects."),
                "projects",
            ),
            *_linked(
                "stakeholders",
                _("Names of the organisations concerned."),
                _("Identifiers (slugs) of the organisations."),
                "stakeholders",
            ),
            *_linked(
                "articles",
                _("Titles of the news about it."),
                _("Identifiers (slugs) of the news."),
                "articles",
            ),
            UPDATED,
        ),
    )


def _roadmap_rows():
    return _published_with(RoadmapAction, "stakeholders").select_related("direction")


def _roadmap_dataset():
    return DataSet(
        identifier="roadmap",
        model_label="programme.RoadmapAction",
        title=_("Roadmap"),
        description=_(
            "The actions of the programme's roadmap, by number: who is responsible, when each "
            "is due and how it stands."
        ),
        list_url_name="programme:roadmap",
        api_path="/api/v1/roadmap-actions/",
        rows=_roadmap_rows,
        columns=(
            Column("number", _("The action's number in the roadmap."), _number("number")),
            Column("title", _("Title."), _text("title")),
            Column(
                "status",
                _("Status code: not-stated, planned, in-progress or done."),
                _text("status"),
            ),
            Column("status_name", _("Status, in words."), lambda obj: obj.get_status_display()),
            Column("due_date", _("Due date (ISO 8601)."), _when("due_date")),
            Column("direction", _("Strategic direction."), _direction_name),
            Column("direction_slug", _("Identifier (slug) of the direction."), _direction_slug),
            *_linked(
                "stakeholders",
                _("Names of the responsible organisations."),
                _("Identifiers (slugs) of the organisations."),
                "stakeholders",
            ),
            Column(
                "progress_note", _("How the action stands, and since when."), _text("progress_note")
            ),
            URL,
            UPDATED,
        ),
    )


# (app, function making its data set) of the apps that come later.
LATER_DATASETS = [("events", _events_dataset), ("programme", _roadmap_dataset)]
