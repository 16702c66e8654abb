"""The workflow's tables: reviews and their steps, notifications and e-mail preferences,
preview links, link checks, content-health reports and the worker's periodic jobs."""

from .health import HealthReport, LinkCheck, PeriodicJob
from .notices import Notification, UserPreference
from .preview import PreviewLink
from .review import Review, ReviewStep, State

__all__ = [
    "HealthReport",
    "LinkCheck",
    "Notification",
    "PeriodicJob",
    "PreviewLink",
    "Review",
    "ReviewStep",
    "State",
    "UserPreference",
]
