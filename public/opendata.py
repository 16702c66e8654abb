"""Open data: the data sets the portal publishes, each with its "passport" (as the open data
sections of Russian government sites describe theirs), and the /open-data/ page.

A data set is one public list (news, projects, stakeholders, parks, ...): its rows are that
list's, downloaded as CSV or JSON from the list page itself (``public.downloads``), with the
columns defined here. The same definitions describe the columns on the open data page, so the
documentation cannot drift from the files.
"""

import functools
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Max
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from events.models import Event
from news.models import Article
from portal.models import Park, Project, Stakeholder
from portal.publishing import published_related
from programme.models import RoadmapAction

from .base import PublicPageMixin
from .caching import versioned

# Licence of every data set; OPEN_DATA_LICENCE in the settings may name another.
DEFAULT_LICENCE = {
    "code": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


def licence():
    return getattr(settings, "OPEN_DATA_LICENCE", None) or DEFAULT_LICENCE


def publisher():
    return getattr(settings, "OPEN_DATA_PUBLISHER", None) or _("INO Tomsk programme portal")


@dataclass(frozen=True)
class Column:
    """One column of a data set: its stable name, what it holds, and how a row gives it
    (a list for several linked entries: joined with "; " in CSV, an array in JSON)."""

    name: str
    description: Any
    value: Any


@dataclass(frozen=True)
class DataSet:
    identifier: str
    model_label: str
    title: Any
    description: Any
    list_url_name: str
    api_path: str
    columns: tuple
    # The published rows with everything the columns read joined or prefetched.
    rows: Any
    # Fields whose newest value is the data set's last change.
    changed_fields: tuple = ("updated_at",)
    extra: dict = field(default_factory=dict)

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def list_url(self):
        return reverse(self.list_url_name)

    def api_url(self):
        """The API endpoint of the data set, once the API serves it (else None)."""
        try:
            match = resolve(self.api_path)
        except Resolver404:
            return None
        # The API answers unknown addresses with a JSON 404 from an unnamed catch-all.
        return self.api_path if match.url_name else None

    def header(self):
        return [column.name for column in self.columns]

    def row(self, obj, joined=False):
        values = []
        for column in self.columns:
            value = column.value(obj)
            if joined and isinstance(value, list):
                value = "; ".join(str(item) for item in value)
            values.append(value)
        return values


# Helpers for column values (texts come in the page's language, with the other language's
# where one is missing, as the pages show them).


def _text(name):
    return lambda obj: getattr(obj, name) or ""


def _when(name):
    def value(obj):
        moment = getattr(obj, name)
        if moment is None:
            return None
        if hasattr(moment, "tzinfo"):
            return timezone.localtime(moment).isoformat()
        return moment.isoformat()

    return value


def _number(name):
    return lambda obj: getattr(obj, name)


def _names(relation):
    return lambda obj: [str(item) for item in getattr(obj, relation).all()]


def _slugs(relation):
    return lambda obj: [item.slug for item in getattr(obj, relation).all()]


def _url(obj):
    # The address in the page's language; made absolute by the download (see public.downloads).
    return obj.get_absolute_url()


def _linked(name, description_names, description_slugs, relation):
    return (
        Column(name, description_names, _names(relation)),
        Column(f"{name[:-1]}_slugs", description_slugs, _slugs(relation)),
    )


def _published_with(model, *relations):
    """The published rows of ``model`` with the public rows of each of ``relations``."""
    return model.objects.published().prefetch_related(
        *(published_related(model, relation) for relation in relations)
    )


def _article_rows():
    return _published_with(Article, "clusters", "directions", "projects", "stakeholders", "parks")


def _project_rows():
    return _published_with(Project, "clusters", "parks", "stakeholders").select_related("direction")


def _stakeholder_rows():
    return _published_with(Stakeholder, "clusters")


def _park_rows():
    return _published_with(Park, "clusters").select_related("park_type")


SLUG = Column("slug", _("Identifier in the portal's addresses; never changes."), _text("slug"))
URL = Column("url", _("Address of the entry's page on the portal."), _url)
UPDATED = Column(
    "updated_at", _("Time of the entry's last change (ISO 8601)."), _when("updated_at")
)
CLUSTERS = _linked(
    "clusters",
    _("Names of the linked clusters."),
    _("Identifiers (slugs) of the linked clusters."),
    "clusters",
)


def _direction_name(obj):
    return str(obj.direction) if obj.direction_id else ""


def _direction_slug(obj):
    return obj.direction.slug if obj.direction_id else ""


def _base_datasets():
    return [
        DataSet(
            identifier="news",
            model_label="news.Article",
            title=_("News"),
            description=_(
                "Published news articles of the programme, newest first, with the clusters, "
                "directions, projects, stakeholders and parks each one is about."
            ),
            list_url_name="news:article-list",
            api_path="/api/v1/articles/",
            rows=_article_rows,
            changed_fields=("updated_at", "published_at"),
            columns=(
                SLUG,
                Column("title", _("Title."), _text("title")),
                Column("published_at", _("Publication time (ISO 8601)."), _when("published_at")),
                Column("lead", _("A one-paragraph summary."), _text("lead")),
                URL,
                Column("source", _("Where the news came from, if stated."), _text("source")),
                Column("source_url", _("Address of the original source."), _text("source_url")),
                *CLUSTERS,
                *_linked(
                    "directions",
                    _("Names of the strategic directions concerned."),
                    _("Identifiers (slugs) of the directions."),
                    "directions",
                ),
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
                    "parks",
                    _("Names of the parks concerned."),
                    _("Identifiers (slugs) of the parks."),
                    "parks",
                ),
                UPDATED,
            ),
        ),
        DataSet(
            identifier="projects",
            model_label="portal.Project",
            title=_("Projects"),
            description=_(
                "Industrial, research, educational, social and infrastructure projects of the "
                "programme, with their status, dates, figures and participants."
            ),
            list_url_name="public:project-list",
            api_path="/api/v1/projects/",
            rows=_project_rows,
            columns=(
                SLUG,
                Column("name", _("Name."), _text("name")),
                Column("summary", _("Short description."), _text("summary")),
                Column(
                    "status",
                    _("Status code: planned, in-progress or completed."),
                    _text("status"),
                ),
                Column("status_name", _("Status, in words."), lambda obj: obj.get_status_display()),
                Column("direction", _("Strategic direction."), _direction_name),
                Column("direction_slug", _("Identifier (slug) of the direction."), _direction_slug),
                Column("start_date", _("Start date (ISO 8601)."), _when("start_date")),
                Column("end_date", _("End date (ISO 8601)."), _when("end_date")),
                Column("budget_rub", _("Budget, roubles."), _number("budget")),
                Column("jobs_created", _("Jobs created."), _number("jobs_created")),
                Column("website", _("The project's own website."), _text("website")),
                URL,
                *CLUSTERS,
                *_linked(
                    "parks",
                    _("Names of the parks where it takes place."),
                    _("Identifiers (slugs) of the parks."),
                    "parks",
                ),
                *_linked(
                    "stakeholders",
                    _("Names of the organisations taking part."),
                    _("Identifiers (slugs) of the organisations."),
                    "stakeholders",
                ),
                UPDATED,
            ),
        ),
        DataSet(
            identifier="stakeholders",
            model_label="portal.Stakeholder",
            title=_("Stakeholders"),
            description=_(
                "Organisations taking part in the programme: authorities, universities, "
                "research institutes, companies, foundations and partners."
            ),
            list_url_name="public:stakeholder-list",
            api_path="/api/v1/stakeholders/",
            rows=_stakeholder_rows,
            columns=(
                SLUG,
                Column("name", _("Full name."), _text("name")),
                Column("short_name", _("Short name."), _text("short_name")),
                Column("kind", _("Kind code (university, company, ...)."), _text("kind")),
                Column("kind_name", _("Kind, in words."), lambda obj: obj.get_kind_display()),
                Column("city", _("City."), _text("city")),
                Column("country", _("Country."), _text("country")),
                Column("website", _("Website."), _text("website")),
                URL,
                *CLUSTERS,
                UPDATED,
            ),
        ),
        DataSet(
            identifier="parks",
            model_label="portal.Park",
            title=_("Parks"),
            description=_(
                "Technology, industrial, science and other parks and territories of the "
                "agglomeration, with their type, address, location and area."
            ),
            list_url_name="public:park-list",
            api_path="/api/v1/parks/",
            rows=_park_rows,
            columns=(
                SLUG,
                Column("name", _("Name."), _text("name")),
                Column("type", _("Park type."), lambda obj: str(obj.park_type)),
                Column(
                    "type_slug",
                    _("Identifier (slug) of the park type."),
                    lambda obj: obj.park_type.slug,
                ),
                Column("address", _("Address."), _text("address")),
                Column("latitude", _("Latitude (WGS 84)."), _number("latitude")),
                Column("longitude", _("Longitude (WGS 84)."), _number("longitude")),
                Column("area_ha", _("Area, hectares."), _number("area")),
                URL,
                *CLUSTERS,
                UPDATED,
            ),
        ),
    ]


@functools.cache
def datasets():
    """Every data set, in the order the open data page lists them (those of apps not
    installed left out)."""
    return tuple(
        _base_datasets() + [make() for app, make in LATER_DATASETS if apps.is_installed(app)]
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


def dataset_for(model):
    """The data set whose rows are ``model``'s, or None."""
    label = model._meta.label
    return next((dataset for dataset in datasets() if dataset.model_label == label), None)


def last_changes():
    """{identifier: newest change} of every data set, kept for the content version."""

    def compute():
        changes = {}
        for dataset in datasets():
            aggregates = {
                name: Max(name)
                for name in dataset.changed_fields  # e.g. updated_at, published_at
            }
            values = dataset.model.objects.published().aggregate(**aggregates).values()
            present = [value for value in values if value is not None]
            changes[dataset.identifier] = max(present).replace(microsecond=0) if present else None
        return changes

    return versioned("open-data-changes", [], compute)


class OpenDataView(PublicPageMixin, TemplateView):
    template_name = "public/open_data.html"
    section = "open-data"
    page_title = _("Open data")
    page_description = _(
        "The portal's data sets (news, projects, stakeholders, parks and more) in CSV and "
        "JSON, with their descriptions, structure and licence."
    )

    @cached_property
    def passports(self):
        changes = last_changes()
        result = []
        for dataset in datasets():
            list_url = dataset.list_url()
            result.append(
                {
                    "dataset": dataset,
                    "identifier": f"inotomsk-{dataset.identifier}",
                    "updated": changes.get(dataset.identifier),
                    "list_url": list_url,
                    "csv_url": f"{list_url}?format=csv",
                    "json_url": f"{list_url}?format=json",
                    "api_url": dataset.api_url(),
                }
            )
        return result

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            passports=self.passports,
            licence=licence(),
            publisher=publisher(),
            row_limit=download_limit(),
            **kwargs,
        )


def download_limit():
    return getattr(settings, "DOWNLOAD_MAX_ROWS", 10_000)
