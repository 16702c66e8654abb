"""The admin home's lists: the user's drafts, what is scheduled, everyone's latest changes."""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst

from .editing import DRAFT, SCHEDULED

DASHBOARD_ROWS = 10
# How far back "my drafts" looks in the user's own log.
DASHBOARD_LOG_DEPTH = 500


def _change_url(site, obj):
    opts = obj._meta
    try:
        return reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def _has_field(model, name):
    return any(field.name == name for field in model._meta.concrete_fields)


def _when(row):
    when = row["when"]
    return when.timestamp() if hasattr(when, "timestamp") else 0


def dashboard(site, request):
    """The home page's lists: the user's drafts, what is scheduled, everyone's latest changes.

    A fixed number of queries whatever the amount of content: one for the user's log, one
    per publishable model for its drafts and one for its scheduled entries, one for the log.
    """
    visible = [
        model
        for model, model_admin in site._registry.items()
        if model_admin.has_view_or_change_permission(request)
    ]
    types = ContentType.objects.get_for_models(*visible)  # cached after the first request
    publishing = sorted(
        (
            (model, site._registry[model])
            for model in visible
            if hasattr(site._registry[model], "filter_publication")
        ),
        key=lambda item: item[0]._meta.label,
    )
    mine = {}
    log = (
        LogEntry.objects.filter(
            user=request.user,
            content_type__in=[types[model] for model, _admin in publishing],
            action_flag__lt=3,
        )
        .order_by("-action_time")
        .values_list("content_type_id", "object_id")[:DASHBOARD_LOG_DEPTH]
    )
    for type_id, object_id in log:
        mine.setdefault(type_id, set()).add(object_id)

    def rows(queryset, when):
        return [
            {
                "object": obj,
                "url": _change_url(site, obj),
                "kind": capfirst(obj._meta.verbose_name),
                "when": getattr(obj, when, None),
            }
            for obj in queryset
        ]

    drafts, scheduled = [], []
    for model, model_admin in publishing:
        ids = mine.get(types[model].pk)
        queryset = model_admin.get_queryset(request)
        if ids:
            pks = [model._meta.pk.to_python(pk) for pk in ids]
            own = model_admin.filter_publication(queryset, DRAFT).filter(pk__in=pks)
            changed = "updated_at" if _has_field(model, "updated_at") else "pk"
            drafts += rows(own.order_by(f"-{changed}")[:DASHBOARD_ROWS], changed)
        if SCHEDULED in dict(model_admin.publication_choices()):
            ahead = model_admin.filter_publication(queryset, SCHEDULED)
            field = model_admin.schedule_field
            scheduled += rows(ahead.order_by(field)[:DASHBOARD_ROWS], field)
    drafts.sort(key=_when, reverse=True)
    scheduled.sort(key=_when)
    recent = (
        LogEntry.objects.filter(content_type__in=types.values())
        .select_related("user", "content_type")
        .order_by("-action_time")[:DASHBOARD_ROWS]
    )
    return {
        "my_drafts": drafts[:DASHBOARD_ROWS],
        "scheduled": scheduled[:DASHBOARD_ROWS],
        "recent_changes": list(recent),
    }
