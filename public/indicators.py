"""Key figures as indicators: the figure as the programme states it and, where the directory
can count the same thing, the count of what the public may see beside it.

Home and about show the figures as stated (``with_figures``); the statistics page compares
them with the directory's counts (``stated_and_counted``). ``KeyFact.live_count`` (and
``KeyFactPart.live_count``) names what to count; ``COUNTED`` says how, always from the
published querysets. All the counts a page needs come from one query, whatever the number of
figures.
"""

from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext

from clusters.models import Cluster
from cms.translated import text_language
from portal.models import Direction, KeyFact, KeyFactPart, ParkType, Project, Stakeholder
from programme.models import RoadmapAction

from .caching import versioned

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
    """The figures of a page; ``live_counted`` says whether the directory can count any of
    them (``with_live_counts``: whether any shows a count)."""

    live_counted = False


def with_figures(facts):
    """The key figures as stated, each with its further figures (``fact.figures``), in one
    query (none without figures); ``live_counted`` when the directory counts any of them."""
    facts = KeyFigures(facts)
    if not facts:
        return facts
    parts = {}
    for part in KeyFactPart.objects.filter(key_fact__in=facts):
        parts.setdefault(part.key_fact_id, []).append(part)
    for fact in facts:
        fact.figures = parts.get(fact.pk, [])
    facts.live_counted = any(
        item.live_count in COUNTED for fact in facts for item in [fact, *fact.figures]
    )
    return facts


def with_live_counts(facts):
    """The key figures, each with its further figures (``fact.figures``) and ``live`` (the
    directory's count, or None) on the figure and on each further figure. Two queries for any
    number of figures (none without figures): the further figures, and the counts."""
    facts = with_figures(facts)
    names = [item.live_count for fact in facts for item in [fact, *fact.figures]]
    counts = live_counts(name for name in names if name)
    for fact in facts:
        fact.live = counts.get(fact.live_count)
        for part in fact.figures:
            part.live = counts.get(part.live_count)
    facts.live_counted = bool(counts)
    return facts


@dataclass(frozen=True)
class Comparison:
    """A row of the statistics page's table: a stated figure beside the directory's count."""

    order: int  # the key figure's number, for its link on the about page
    label: str
    label_lang: str | None  # the label's language where it is not the page's
    stated: str  # as stated: "over 100", "12", "160 thousand"
    counted: str  # what the directory counts
    count: int


def stated_and_counted():
    """The figures the directory can count, each beside its count, in the page's language;
    kept for the content version (three queries: the figures, their further figures, the
    counts)."""
    return versioned("key-figure-counts", [], _compare)


def _stated(item):
    """The value as the key figure's card shows it: "over 100", "160 thousand"."""
    number = number_format(item.value.normalize(), use_l10n=True, force_grouping=True)
    text = f"{gettext('over')}\xa0{number}" if item.value_is_minimum else number
    return f"{text}\xa0{item.unit}" if item.unit else text


def _compare():
    facts = with_live_counts(KeyFact.objects.exclude(order=1))  # the first states the goal
    rows = []
    for fact in facts:
        for item in [fact, *fact.figures]:
            if item.live is None:
                continue
            named_by = "label" if item.label else "figure"
            rows.append(
                Comparison(
                    order=fact.order,
                    label=getattr(item, named_by),
                    label_lang=text_language(item, named_by),
                    stated=_stated(item) if item.value is not None else item.figure,
                    counted=str(item.get_live_count_display()),
                    count=item.live,
                )
            )
    return rows
