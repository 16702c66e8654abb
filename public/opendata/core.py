"""The data sets of the portal's own lists: news, projects, stakeholders and parks."""

from django.utils.translation import gettext_lazy as _

from news.models import Article
from portal.models import Park, Project, Stakeholder

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


def _article_rows():
    return _published_with(Article, "clusters", "directions", "projects", "stakeholders", "parks")


def _project_rows():
    return _published_with(Project, "clusters", "parks", "stakeholders").select_related("direction")


def _stakeholder_rows():
    return _published_with(Stakeholder, "clusters")


def _park_rows():
    return _published_with(Park, "clusters").select_related("park_type")


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
