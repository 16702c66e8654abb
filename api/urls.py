"""/api/v1/: the endpoints (a router, by slug), the OpenAPI schema and its documentation page,
and a JSON 404 for any other address below."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from public import map as place_map

from . import views
from .docs import SchemaView, docs_view

app_name = "api"

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("stakeholders", views.StakeholderViewSet, basename="stakeholder")
router.register("parks", views.ParkViewSet, basename="park")
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("directions", views.DirectionViewSet, basename="direction")
router.register("park-types", views.ParkTypeViewSet, basename="park-type")
router.register("key-figures", views.KeyFigureViewSet, basename="key-figure")
router.register("events", views.EventViewSet, basename="event")
router.register("roadmap-actions", views.RoadmapActionViewSet, basename="roadmap-action")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = [
    path("", views.APIRootView.as_view(), name="root"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", docs_view, name="docs"),
    # The map's places as GeoJSON, with its filters and ?lang= (public/map.py).
    path("places.geojson", place_map.geojson, name="places"),
    *router.urls,
    re_path(r"^.*$", views.not_found),
]
