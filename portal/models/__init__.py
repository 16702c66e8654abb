"""The programme directory: directions, key figures, stakeholders, parks and projects.

One module per concept; every model (and the bases and validator other apps and migrations
name, ``portal.models.validate_source_url``) is importable from ``portal.models`` as before.
"""

from .base import DefaultLanguageColumns, FacetCount, ImageMixin, Publishable
from .directory import Direction, Park, ParkType, Stakeholder
from .figures import KeyFact, KeyFactPart, validate_source_url
from .projects import Project, ProjectStakeholder

__all__ = [
    "DefaultLanguageColumns",
    "Direction",
    "FacetCount",
    "ImageMixin",
    "KeyFact",
    "KeyFactPart",
    "Park",
    "ParkType",
    "Project",
    "ProjectStakeholder",
    "Publishable",
    "Stakeholder",
    "validate_source_url",
]
