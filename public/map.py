"""/map/: parks, stakeholders, projects and events that have a place, on a map and in a list.

The list beside the map is the primary view (it works without script); the map (Leaflet,
vendored under static/vendor/) draws the same rows from ``/map/data.geojson``, which takes the
same filters and is the open GeoJSON of every list with places. A project has no place of its
own: it appears at its first park with one, else at its first stakeholder with one. Tiles come
only from DJANGO_MAP_TILE_URL; without it the markers stand on a plain background.
"""

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView

from clusters.models import Cluster
from events.models import Event
from portal.models import Direction, Park, Project, Stakeholder

from .base import PublicPageMixin, reject_nul_bytes
from .listing import refusals

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


class MapFilterForm(forms.Form):
    """The filters of the lists: a cluster, a direction, the kinds of entries."""

    cluster = forms.ChoiceField(label=_("Cluster"), required=False)
    direction = forms.ChoiceField(label=_("Direction"), required=False)
    kind = forms.MultipleChoiceField(
        label=pgettext_lazy("map filter", "Show"),
        required=False,
        choices=KINDS,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        clusters = Cluster.objects.published().order_by("name").values_list("slug", "name")
        self.fields["cluster"].choices = everything + list(clusters)
        directions = Direction.objects.order_by("name").values_list("slug", "name")
        self.fields["direction"].choices = everything + list(directions)

    def applied(self):
        """The valid filters only: a refused one is dropped (and named by ``errors``)."""
        data = {}
        for name in self.fields:
            if name not in self.errors:
                data[name] = self.cleaned_data.get(name) if self.is_bound else None
        return data


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


def _where(queryset, cluster, direction, direction_path):
    if cluster:
        queryset = queryset.filter(clusters__slug=cluster)
    if direction:
        queryset = queryset.filter(**{direction_path: direction})
    return queryset.distinct()


def places(filters):
    """The published entries with a place that match ``filters``, each kind by name."""
    cluster, direction = filters.get("cluster"), filters.get("direction")
    kinds = set(filters.get("kind") or [kind for kind, _label in KINDS])
    found = []
    placed = {"latitude__isnull": False, "longitude__isnull": False}
    if "park" in kinds:
        rows = _where(
            Park.objects.published().filter(**placed),
            cluster,
            direction,
            "projects__direction__slug",
        )
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
        rows = _where(
            Stakeholder.objects.published().filter(**placed),
            cluster,
            direction,
            "projects__direction__slug",
        )
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
        found += _project_places(cluster, direction)
    if "event" in kinds:
        rows = _where(
            Event.objects.published().filter(**placed),
            cluster,
            direction,
            "projects__direction__slug",
        )
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


def _project_places(cluster, direction):
    parks = Park.objects.published().filter(latitude__isnull=False, longitude__isnull=False)
    holders = Stakeholder.objects.published().filter(
        latitude__isnull=False, longitude__isnull=False
    )
    rows = Project.objects.published()
    if direction:
        rows = rows.filter(direction__slug=direction)
    if cluster:
        rows = rows.filter(clusters__slug=cluster)
    rows = (
        rows.distinct()
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


def filter_query(filters):
    """Filters as a query string, empty ones left out (for links to the GeoJSON)."""
    pairs = [(name, value) for name, value in filters.items() if value and name != "kind"]
    return urlencode(pairs + [("kind", kind) for kind in filters.get("kind") or []])


def _filters(request):
    reject_nul_bytes(request)
    form = MapFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    return form


def geojson(request):
    """/map/data.geojson (and the API's /api/v1/places.geojson): the map's rows as GeoJSON."""
    if request.GET.get("lang") in dict(settings.LANGUAGES):
        translation.activate(request.GET["lang"])
    form = _filters(request)
    status = 400 if form.errors else 200
    body = feature_collection(places(form.applied()), request)
    if form.errors:
        body["errors"] = refusals.errors(refusals.from_form(form))
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/geo+json", status=status
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
        self.form = _filters(request)
        response = super().get(request, *args, **kwargs)
        if self.form.errors:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = places(self.form.applied())
        # Only the applied filters: a refused one would make the data a 400 and the map empty.
        query = filter_query(self.form.applied())
        data_url = reverse("public:map-data") + (f"?{query}" if query else "")
        known = set(self.form.fields)
        context.update(
            form=self.form,
            filter_notices=refusals.notices(refusals.from_form(self.form)),
            ignored_parameters=[key[:40] for key in self.request.GET if key not in known][:5],
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
