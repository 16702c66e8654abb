"""Which rows are seed_demo's: a slug ``demo-<kind>-<number>``, numbered on from the highest."""

from django.db import transaction
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast, Substr

from news.models import Article
from portal.models import Park, Project, Stakeholder

PREFIX = "demo-"


def slug_prefix(model):
    return f"{PREFIX}{model._meta.model_name}-"


def next_number(model):
    """One past the highest demo row's number, so a second run adds more; the highest, not
    the count, as a failed run may have ended with later batches written than earlier ones."""
    prefix = slug_prefix(model)
    number = Cast(Substr("slug", len(prefix) + 1), BigIntegerField())
    rows = model.objects.filter(slug__startswith=prefix)
    return (rows.aggregate(highest=Max(number))["highest"] or 0) + 1


def delete_demo_rows(pause):
    """Delete every demo row with its links; yield (model, rows deleted) for each model.

    ``pause`` (``portal.kept_counts.paused``) spares the kept counts' triggers the work."""
    # Links go with their rows (cascades); parks last, as projects and articles point at them.
    for model in (Article, Project, Stakeholder, Park):
        with transaction.atomic():
            pause()
            deleted, _rows = model.objects.filter(slug__startswith=PREFIX).delete()
        yield model, deleted
