"""/map/: parks, stakeholders, projects and events that have a place, on a map and in a list.

The list beside the map is the primary view (it works without script); the map (Leaflet,
vendored under static/vendor/) draws the same rows from ``/map/data.geojson``, which takes the
same filters and is the open GeoJSON of every list with places. The filters are the lists'
(``PlaceFilterSet``: repeatable clusters, directions and kinds), parsed, validated and refused
by the listing engine (public/listing/) as theirs are. A project has no place of its
own: it appears at its first park with one, else at its first stakeholder with one. Tiles come
only from DJANGO_MAP_TILE_URL; without it the markers stand on a plain background.
"""

import json
from dataclasses import dataclass

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView

from events.models import Event
from portal.models import Park, Project, Stakeholder

from .base import PublicPageMixin, reject_nul_bytes
from .listing import ListFilterSet, OptionFilter, parse_query, refusals
from .listing.filters import linked
from .listing.lists import cluster_filter

KINDS = [
    ("park", pgettext_lazy("map kind", "Parks")),
    ("stakeholder", pgettext_lazy("map kind", "Stakeholders")),
    ("project", pgettext_lazy("map kind", "Projects")),
    ("event", pgettext_lazy("map kind", "Events")),
]
KIND_LABELS = {
    "park": pgettext_lazy("map kind", "Park"),
    "stakeholder": pgettext_lazy("map kind", "Stakeholder"),
    "project": pgettext_lazy("map kind", "Project"),
    "event": pgettext_lazy("map kind", "Event"),
}
# How each kind reaches a direction (the slug path); every kind reaches clusters by
# ``clusters``. Parks, stakeholders and events have a direction through their projects.
DIRECTION_PATHS = {
    "park": "projects__direction__slug",
    "stakeholder": "projects__direction__slug",
    "project": "direction__slug",
    "event": "projects__direction__slug",
}


class KindFilter(django_filters.MultipleChoiceFilter):
    """``?kind=park&kind=event``: the kinds of entries shown. It chooses which tables
    ``places`` reads, so it narrows no rows itself."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, choices=KINDS, **kwargs)

    def filter(self, qs, value):
        return qs

    def chosen(self, cleaned):
        labels = dict(KINDS)
        return [(kind, str(labels[kind]), None) for kind in cleaned]


class PlaceFilterSet(ListFilterSet):
    """The map's filters, parsed and refused by the listing engine as every list's are: the
    lists' repeatable cluster and direction, and the kinds of entries."""

    cluster = cluster_filter()
    # Validation reads only the option list; ``places`` applies it by DIRECTION_PATHS.
    direction = OptionFilter(label=_("Direction"), kind="direction", relation="projects__direction")
    kind = KindFilter(label=pgettext_lazy("map filter", "Show"))

    class Meta:
        # Validation needs a model; ``places`` reads each kind's own table.
        model = Park
        fields = []


@dataclass
class Place:
    kind: str
    name: str
    url: str
    latitude: float
    longitude: float
    address: str = ""

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]


def _where(queryset, query, kind):
    """``queryset`` narrowed by the query's clusters and directions (any of the values of
    each), as semi-joins: a row linked twice is still one row."""
    clusters, directions = query.values("cluster"), query.values("direction")
    if clusters:
        queryset = linked(queryset, "clusters__slug", list(clusters))
    if directions:
        queryset = linked(queryset, DIRECTION_PATHS[kind], list(directions))
    return queryset


def places(query):
    """The published entries with a place that match ``query`` (a ``ListQuery`` of
    ``PlaceFilterSet``), each kind by name: one query per kind, whatever the number of rows."""
    kinds = set(query.values("kind") or [kind for kind, _label in KINDS])
    found = []
    placed = {"latitude__isnull": False, "longitude__isnull": False}
    if "park" in kinds:
        rows = _where(Park.objects.published().filter(**placed), query, "park")
        found += [
            Place(
                "park",
                p.name,
                p.get_absolute_url(),
                float(p.latitude),
                float(p.longitude),
                p.address,
            )
            for p in rows.order_by("name")
        ]
    if "stakeholder" in kinds:
        rows = _where(Stakeholder.objects.published().filter(**placed), query, "stakeholder")
        found += [
            Place(
                "stakeholder",
                s.name,
                s.get_absolute_url(),
                float(s.latitude),
                float(s.longitude),
                s.address or s.city,
            )
            for s in rows.order_by("name")
        ]
    if "project" in kinds:
        found += _project_places(query)
    if "event" in kinds:
        rows = _where(Event.objects.published().filter(**placed), query, "event")
        found += [
            Place(
                "event",
                e.title,
                e.get_absolute_url(),
                float(e.latitude),
                float(e.longitude),
                e.place,
            )
            for e in rows.order_by("-start")
        ]
    return found


def _project_places(query):
    parks = Park.objects.published().filter(latitude__isnull=False, longitude__isnull=False)
    holders = Stakeholder.objects.published().filter(
        latitude__isnull=False, longitude__isnull=False
    )
    rows = (
        _where(Project.objects.published(), query, "project")
        .order_by("name")
        .prefetch_related(
            Prefetch("parks", queryset=parks.order_by("name"), to_attr="placed_parks"),
            Prefetch("stakeholders", queryset=holders.order_by("name"), to_attr="placed_holders"),
        )
    )
    found = []
    for project in rows:
        where = (project.placed_parks or project.placed_holders or [None])[0]
        if where is not None:
            found.append(
                Place(
                    "project",
                    project.name,
                    project.get_absolute_url(),
                    float(where.latitude),
                    float(where.longitude),
                    where.name,
                )
            )
    return found


def feature_collection(rows, request):
    """RFC 7946: a FeatureCollection of Points, [longitude, latitude] in WGS 84."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row.longitude, row.latitude]},
                "properties": {
                    "kind": row.kind,
                    "kind_label": str(row.kind_label),
                    "name": row.name,
                    "address": row.address,
                    "url": request.build_absolute_uri(row.url),
                },
            }
            for row in rows
        ],
    }


def _query(request, known=()):
    """The map's ``ListQuery``: parsed, validated and worded as the lists' are."""
    reject_nul_bytes(request)
    return parse_query(PlaceFilterSet, request.GET, known=known)


def geojson(request):
    """/map/data.geojson (and the API's /api/v1/places.geojson): the map's rows as GeoJSON.
    A refused filter value is a 400 naming it (``errors``), with the rows the others keep."""
    if request.GET.get("lang") in dict(settings.LANGUAGES):
        translation.activate(request.GET["lang"])
    query = _query(request, known=("lang",))
    body = feature_collection(places(query), request)
    if query.refused:
        body["errors"] = refusals.errors(query.refused)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        content_type="application/geo+json",
        status=400 if query.refused else 200,
    )
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


class MapView(PublicPageMixin, TemplateView):
    """The map page: the filters, the map (with script) and the list of places."""

    template_name = "public/map.html"
    page_title = _("Map")
    section = "map"
    page_description = _("Parks, stakeholders, projects and events of INO Tomsk on a map.")

    def get(self, request, *args, **kwargs):
        self.query = _query(request)
        response = super().get(request, *args, **kwargs)
        if self.query.refused:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = places(self.query)
        # Only the applied filters: a refused one would make the data a 400 and the map empty.
        query = self.query.urlencode()
        data_url = reverse("public:map-data") + (f"?{query}" if query else "")
        # The form shows the choices (checkboxes, as the lists); the query decides what applies.
        form = PlaceFilterSet(self.request.GET or None, queryset=Park.objects.none()).form
        context.update(
            form=form,
            # A filter with no options (no published cluster yet) is not shown.
            filter_fields=[field for field in form if list(field.field.choices)],
            filter_notices=refusals.notices(self.query.refused),
            ignored_parameters=list(self.query.ignored),
            places=rows,
            groups=[(label, [r for r in rows if r.kind == kind]) for kind, label in KINDS],
            data_url=data_url,
            tile_url=settings.MAP_TILE_URL,
            tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            admin_urls=[
                reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
                for m in (Park, Stakeholder, Event)
            ],
        )
        return context
