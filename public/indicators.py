"""Key figures as indicators: the figure as the programme states it and, where the directory
can count the same thing, the count of what the public may see beside it.

``KeyFact.live_count`` (and ``KeyFactPart.live_count``) names what to count; ``COUNTED``
says how, always from the published querysets. All the counts a page needs come from one
query, whatever the number of figures.
"""

from django.db.models import F, Func, IntegerField, Q, Subquery
from django.db.models.functions import Coalesce

from clusters.models import Cluster
from portal.models import Direction, KeyFact, KeyFactPart, ParkType, Project, Stakeholder
from programme.models import RoadmapAction

LiveCount = KeyFact.LiveCount


def _tomsk_universities():
    # The city as the seeds write it, in either language's column.
    in_tomsk = Q(city_en__iexact="Tomsk") | Q(city_ru__iexact="Томск")
    return Stakeholder.objects.published().filter(in_tomsk, kind=Stakeholder.Kind.UNIVERSITY)


COUNTED = {
    LiveCount.PROJECTS: lambda: Project.objects.published(),
    LiveCount.CLUSTERS: lambda: Cluster.objects.published(),
    LiveCount.DIRECTIONS: lambda: Direction.objects.all(),
    LiveCount.PARK_TYPES: lambda: ParkType.objects.all(),
    LiveCount.FEDERAL_MINISTRIES: lambda: Stakeholder.objects.published().filter(
        kind=Stakeholder.Kind.FEDERAL_MINISTRY
    ),
    LiveCount.TOMSK_UNIVERSITIES: _tomsk_universities,
    LiveCount.ROADMAP_ACTIONS: lambda: RoadmapAction.objects.published(),
}


def _count(queryset):
    """``SELECT COUNT(*) FROM …`` as a scalar subquery (no GROUP BY: COUNT over all rows)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def live_counts(names):
    """``{name: count}`` of the given ``LiveCount`` names, in one query (none for no names)."""
    names = sorted({name for name in names if name in COUNTED})
    if not names:
        return {}
    columns = {f"count_{index}": _count(COUNTED[name]()) for index, name in enumerate(names)}
    # One row to hang the scalar subqueries on: the names come from key figures, so one exists.
    row = KeyFact.objects.order_by().annotate(**columns).values(*columns)[:1]
    row = next(iter(row), None)
    if row is None:
        return {}
    return {name: row[f"count_{index}"] for index, name in enumerate(names)}


class KeyFigures(list):
    """The figures of a page; ``live_counted`` says whether any shows a directory count."""

    live_counted = False


def with_live_counts(facts):
    """The key figures, each with its further figures (``fact.figures``) and ``live`` (the
    directory's count, or None) on the figure and on each further figure. Two queries for any
    number of figures (none without figures): the further figures, and the counts."""
    facts = KeyFigures(facts)
    if not facts:
        return facts
    parts = {}
    for part in KeyFactPart.objects.filter(key_fact__in=facts):
        parts.setdefault(part.key_fact_id, []).append(part)
    names = [fact.live_count for fact in facts]
    names += [part.live_count for found in parts.values() for part in found]
    counts = live_counts(name for name in names if name)
    for fact in facts:
        fact.live = counts.get(fact.live_count)
        fact.figures = parts.get(fact.pk, [])
        for part in fact.figures:
            part.live = counts.get(part.live_count)
    facts.live_counted = bool(counts)
    return facts
