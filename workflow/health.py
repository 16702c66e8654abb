"""The content-health findings, computed by a task (``tasks.compute_health``) and kept per
content version (public/caching.py): a change to content makes the next look compute them
anew. Each finding names its entry by model and key, so the page links to the entry to fix.

Kinds: texts missing in one language, pictures without alt text, published entries past their
"review by" date, what is scheduled for the next 7 days, and broken outbound links (from the
link checker's last answers). Sections hidden for want of published content are read when
the page is shown (public/sitepages.py keeps them per content version already).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone, translation

from cms.translated import LANGUAGES, has_text, missing_in, translated_fields

from .adapters import adapter_for, publishable_models
from .models import HealthReport, LinkCheck, Review, State

ROWS_PER_KIND = 200
SOON = timedelta(days=7)
KINDS = ["missing_text", "missing_alt", "review_overdue", "scheduled", "broken_links"]


def _titles(obj):
    titles = {}
    for code in LANGUAGES:
        with translation.override(code):
            titles[code] = str(obj)
    return titles


def _row(obj, **detail):
    return {"model": obj._meta.label_lower, "pk": obj.pk, "title": _titles(obj), **detail}


def missing_text():
    rows = []
    for model in publishable_models():
        fields = translated_fields(model)
        if not fields:
            continue
        for language in LANGUAGES:
            for obj in model._default_manager.filter(missing_in(model, language))[:ROWS_PER_KIND]:
                missing = [
                    field
                    for field in fields
                    if not getattr(obj, f"{field}_{language}", None)
                    and any(getattr(obj, f"{field}_{code}", None) for code in LANGUAGES)
                ]
                rows.append(_row(obj, language=language, fields=missing))
    return rows


def _image_fields(model):
    names = {field.name for field in model._meta.concrete_fields}
    for field in model._meta.concrete_fields:
        if (
            field.get_internal_type() in ("ImageField", "FileField")
            and f"{field.name}_alt" in names
        ):
            yield field.name


def missing_alt():
    rows = []
    for model in publishable_models():
        for image in _image_fields(model):
            alt = f"{image}_alt"
            if alt in translated_fields(model):
                described = Q()
                for code in LANGUAGES:
                    described |= has_text(alt, code)
            else:
                described = Q(**{f"{alt}__gt": ""})
            found = model._default_manager.exclude(**{image: ""}).exclude(described)
            rows += [_row(obj, field=image) for obj in found[:ROWS_PER_KIND]]
    return rows


def _reviewed_objects(reviews):
    """(review, entry) for reviews whose entry still exists."""
    by_type = {}
    for review in reviews:
        by_type.setdefault(review.content_type_id, []).append(review)
    for type_id, group in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        objects = model._default_manager.in_bulk([r.object_id for r in group])
        for review in group:
            if review.object_id in objects:
                yield review, objects[review.object_id]


def review_overdue():
    today = timezone.localdate()
    reviews = Review.objects.filter(review_by__lt=today).order_by("review_by")[:ROWS_PER_KIND]
    return [
        _row(obj, date=review.review_by.isoformat())
        for review, obj in _reviewed_objects(reviews)
        if adapter_for(type(obj)).is_public(obj)
    ]


def scheduled():
    now = timezone.now()
    rows = []
    reviews = Review.objects.filter(
        state=State.SCHEDULED, scheduled_for__gt=now, scheduled_for__lte=now + SOON
    )
    for review, obj in _reviewed_objects(reviews[:ROWS_PER_KIND]):
        if not adapter_for(type(obj)).schedules_itself:
            rows.append(_row(obj, at=review.scheduled_for.isoformat()))
    for model in publishable_models():
        shape = adapter_for(model)
        if shape.schedules_itself:
            soon = model._default_manager.filter(shape.scheduled_q(), published_at__lte=now + SOON)
            rows += [_row(obj, at=obj.published_at.isoformat()) for obj in soon[:ROWS_PER_KIND]]
    return sorted(rows, key=lambda row: row["at"])


def broken_links():
    rows = []
    for check in LinkCheck.objects.filter(ok=False).order_by("host", "url")[:ROWS_PER_KIND]:
        for source in check.sources:
            model = ContentType.objects.get_for_id(source["type"]).model_class()
            obj = model._default_manager.filter(pk=source["id"]).first() if model else None
            if obj is not None:
                rows.append(
                    _row(
                        obj,
                        url=check.url,
                        code=check.status_code,
                        error=check.error,
                        checked=check.checked_at.isoformat() if check.checked_at else "",
                    )
                )
    return rows


def compute(version):
    """Compute and keep the findings of content version ``version``."""
    with translation.override(settings.LANGUAGE_CODE):
        data = {
            "missing_text": missing_text(),
            "missing_alt": missing_alt(),
            "review_overdue": review_overdue(),
            "scheduled": scheduled(),
            "broken_links": broken_links(),
        }
    HealthReport.objects.update_or_create(
        version=version, defaults={"data": data, "computed_at": timezone.now()}
    )
    # Older versions' reports are of no use once this one is ready.
    keep = HealthReport.objects.order_by("-requested_at").values_list("pk", flat=True)[:3]
    HealthReport.objects.exclude(pk__in=list(keep)).exclude(version=version).delete()
    return sum(len(rows) for rows in data.values())
