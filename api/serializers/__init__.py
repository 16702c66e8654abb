"""What the API shows of each public model, one module per group of endpoints: ``base`` holds
the shared fields and the base serializer (its docstring states the conventions)."""

from .base import list_serializer
from .directory import (
    ClusterSerializer,
    DirectionSerializer,
    KeyFigureSerializer,
    ParkSerializer,
    ParkTypeSerializer,
    ProjectSerializer,
    StakeholderSerializer,
)
from .events import EventSerializer
from .news import ArticleSerializer
from .programme import DocumentSerializer, RoadmapActionSerializer

__all__ = [
    "ArticleSerializer",
    "ClusterSerializer",
    "DirectionSerializer",
    "DocumentSerializer",
    "EventSerializer",
    "KeyFigureSerializer",
    "ParkSerializer",
    "ParkTypeSerializer",
    "ProjectSerializer",
    "RoadmapActionSerializer",
    "StakeholderSerializer",
    "list_serializer",
]
