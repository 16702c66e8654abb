"""Every data set, the one of a model, and when each last changed."""

import functools

from django.apps import apps
from django.db.models import Max

from ..caching import versioned
from .core import _base_datasets
from .later import LATER_DATASETS


@functools.cache
def datasets():
    """Every data set, in the order the open data page lists them (those of apps not
    installed left out)."""
    return tuple(
        _base_datasets() + [make() for app, make in LATER_DATASETS if apps.is_installed(app)]
    )


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
