"""What a data set and its columns are, the helpers that read a column's value from a row,
and the columns several data sets share."""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.publishing import published_related


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
