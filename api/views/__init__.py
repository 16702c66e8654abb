"""The read-only API's views, one module per group of endpoints (api/urls.py routes them):
``base`` holds what every endpoint shares."""

from .base import api_exception_handler, not_found
from .directory import (
    ClusterViewSet,
    DirectionViewSet,
    KeyFigureViewSet,
    ParkTypeViewSet,
    ParkViewSet,
    ProjectViewSet,
    StakeholderViewSet,
)
from .events import EventViewSet
from .news import ArticleViewSet
from .programme import DocumentViewSet, RoadmapActionViewSet
from .root import APIRootView

__all__ = [
    "APIRootView",
    "ArticleViewSet",
    "ClusterViewSet",
    "DirectionViewSet",
    "DocumentViewSet",
    "EventViewSet",
    "KeyFigureViewSet",
    "ParkTypeViewSet",
    "ParkViewSet",
    "ProjectViewSet",
    "RoadmapActionViewSet",
    "StakeholderViewSet",
    "api_exception_handler",
    "not_found",
]
