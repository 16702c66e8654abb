"""Reading the numbers of the statistics page: one query per group of charts, kept for the
content version, and the table of each chart built from them."""

from decimal import Decimal

from django.db.models import CharField, Count, Exists, OuterRef, Sum, Value
from django.db.models.functions import Cast, ExtractYear

from clusters.models import Cluster
from news.models import Article
from portal.models import Project, ProjectStakeholder, Stakeholder
from portal.publishing import public_condition

from ..caching import versioned
from ..listing import small_option_lists
from .charts import NOT_STATED, Row, Table


def _aggregates():
    return {
        "n": Count("pk"),
        "budget_sum": Sum("budget"),
        "budget_n": Count("budget"),
        "jobs_sum": Sum("jobs_created"),
        "jobs_n": Count("jobs_created"),
    }


def _projects(listing):
    """The published projects the filters match (all published ones without filters)."""
    published = Project.objects.published().rewrite(False).order_by()
    if not listing.query.filters:
        return published
    return published.filter(pk__in=listing.filtered().order_by().values("pk"))


def compute_group(group, listing):
    """Plain data (kept for the content version) of one group of charts.

    ``projects``: {"cluster": {slug or None: aggregates}, "direction": {(slug, status):
    aggregates}}, in one query (UNION ALL); ``others``: {"kind": {kind: n}, "year": {year: n}}.
    """
    projects = _projects(listing)
    if group == "projects":
        text = CharField()
        by_cluster = (
            projects.filter(public_condition(Cluster, "clusters"))
            .values_list(Value("cluster", output_field=text), "clusters__slug", Value("", text))
            .annotate(**_aggregates())
        )
        # The projects in no published cluster, once each (no GROUP BY: one row).
        linked = Project.clusters.through.objects.filter(
            public_condition(Cluster, "cluster"), project=OuterRef("pk")
        )
        no_cluster = (
            projects.exclude(Exists(linked))
            .values_list(Value("cluster", text), Value(None, text), Value("", text))
            .annotate(**_aggregates())
        )
        by_direction = projects.values_list(
            Value("direction", output_field=text), "direction__slug", "status"
        ).annotate(**_aggregates())
        result = {"cluster": {}, "direction": {}}
        for dimension, slug, status, *values in by_cluster.union(
            no_cluster, by_direction, all=True
        ):
            if dimension == "cluster":
                if slug is not None or values[0]:
                    result["cluster"][slug] = values
            else:
                result["direction"][(slug, status)] = values
        return result
    # Stakeholders by kind and articles per year, in one query (UNION ALL).
    stakeholders = Stakeholder.objects.published().rewrite(False)
    articles = Article.objects.published().rewrite(False)
    if listing.query.filters:
        matching = projects.values("pk")
        stakeholders = stakeholders.filter(
            Exists(
                ProjectStakeholder.objects.filter(stakeholder=OuterRef("pk"), project__in=matching)
            )
        )
        articles = articles.filter(
            Exists(
                Article.projects.through.objects.filter(
                    article=OuterRef("pk"), project__in=matching
                )
            )
        )
    kinds = (
        stakeholders.order_by()
        .values_list(Value("kind"), Cast("kind", output_field=CharField()))
        .annotate(n=Count("pk"))
    )
    years = (
        articles.order_by()
        .values_list(Value("year"), Cast(ExtractYear("published_at"), output_field=CharField()))
        .annotate(n=Count("pk"))
    )
    result = {"kind": {}, "year": {}}
    for part, value, n in kinds.union(years, all=True):
        result[part][value] = n
    return result


def read_group(group, listing):
    return versioned("statistics", [group, listing.key], lambda: compute_group(group, listing))


AGGREGATE_INDEX = {"projects": 0, "budget": 1, "jobs": 3}


def _measure(values, measure):
    """(value, stated, not stated) of ``measure`` from the aggregates of a group of projects."""
    if not values:
        return (0, None, None) if measure == "projects" else (None, 0, 0)
    count = values[0]
    if measure == "projects":
        return count, None, None
    index = AGGREGATE_INDEX[measure]
    total, stated = values[index], values[index + 1]
    if not stated:
        return None, 0, count
    if measure == "budget":  # the same two decimals from every database
        total = Decimal(total).quantize(Decimal("0.01"))
    return total, stated, count - stated


def _add(a, b):
    if not a:
        return list(b)
    return [(x or 0) + (y or 0) if (x is not None or y is not None) else None for x, y in zip(a, b, strict=True)]  # fmt: skip


def build_table(chart, listing):
    data = read_group(chart.group, listing)
    table = Table(chart)
    if chart.dimension in ("cluster", "direction"):
        if chart.dimension == "cluster":
            grouped = data["cluster"]
        else:
            grouped = {}
            for (slug, _status), values in data["direction"].items():
                grouped[slug] = _add(grouped.get(slug), values)
        for slug, name, _pk, lang in small_option_lists()[chart.dimension]:
            value, stated, not_stated = _measure(grouped.get(slug), chart.measure)
            table.rows.append(Row(slug, name, value, lang, stated, not_stated))
        if grouped.get(None) and grouped[None][0]:
            value, stated, not_stated = _measure(grouped[None], chart.measure)
            table.rows.append(Row(None, str(NOT_STATED[chart.dimension]), value, None, stated, not_stated))  # fmt: skip
    elif chart.dimension == "status":
        counts = {}
        for (_slug, status), values in data["direction"].items():
            counts[status or None] = counts.get(status or None, 0) + values[0]
        choices = dict(Project.Status.choices)
        for value, label in choices.items():
            table.rows.append(Row(value, str(label), counts.pop(value, 0)))
        unknown = sum(counts.values())  # no status, or one no longer offered
        if unknown:
            table.rows.append(Row(None, str(NOT_STATED["status"]), unknown))
    elif chart.dimension == "kind":
        counts = dict(data["kind"])
        for value, label in Stakeholder.Kind.choices:
            table.rows.append(Row(value, str(label), counts.pop(value, 0)))
        unknown = sum(counts.values())
        if unknown:
            table.rows.append(Row(None, str(NOT_STATED["kind"]), unknown))
    else:  # years, with the years between them that have none
        counts = {int(year): n for year, n in data["year"].items()}
        if counts:
            for year in range(min(counts), max(counts) + 1):
                table.rows.append(Row(str(year), str(year), counts.get(year, 0)))
    return table
