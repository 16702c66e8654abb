"""The statistics page: the directory counted (projects by cluster, direction and status;
budget and jobs by cluster and direction; stakeholders by kind; articles per year).

Every number comes from the published rows, filtered by the project list's own filter set
(``ProjectFilterSet``), so the filter form, its validation and its 400 answers are the list's.
Each chart is a table on the page, an SVG image drawn by pygal (``/statistics/<chart>.svg``,
served with a policy of its own: pygal styles its image with a <style> element, which an image
document may have, and it runs no script), and a download (``<chart>.csv`` / ``.json``) through
``public.downloads``. What the numbers are read from is kept for the content version, one
entry per group of charts and filter state, so the page, its images and its downloads read
the database once between them.

A value a project does not state (no budget, no jobs figure, no cluster, no status) is never
counted as zero: sums are over the projects that state a value, and the tables say how many
do not.
"""

import hashlib
import math
from dataclasses import dataclass, field
from decimal import Decimal

import pygal
from django.db.models import CharField, Count, Exists, OuterRef, Sum, Value
from django.db.models.functions import Cast, ExtractYear
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from pygal.etree import etree

from clusters.models import Cluster
from news.models import Article
from portal.models import Project, ProjectStakeholder, Stakeholder
from portal.publishing import public_condition

from .base import PublicPageMixin, reject_nul_bytes
from .caching import versioned
from .downloads import tabular_response
from .indicators import stated_and_counted
from .listing import Listing, parse_query, refusals, small_option_lists
from .listing.lists import ProjectFilterSet
from .listing.views import FilteredPageMixin

# The policy of a chart image: pygal styles it with a <style> element; it runs no script and
# loads nothing (the pages that show it keep the site's strict policy).
IMAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# Room per bar of a horizontal chart, and around the bars, in SVG units.
BAR_HEIGHT = 48
CHART_MARGIN = 100
CHART_WIDTH = 640
YEARS_HEIGHT = 360
# Category labels longer than this are cut with an ellipsis (the table has them whole).
LABEL_LENGTH = 24


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str  # lazy
    # What is counted or added up: "projects", "budget", "jobs", "stakeholders", "articles".
    measure: str
    # What the rows are: "cluster", "direction", "status", "kind", "year".
    dimension: str
    group: str  # which query reads it (see compute_group)


CHARTS = [
    Chart("projects-by-cluster", gettext_lazy("Projects by cluster"), "projects", "cluster", "projects"),
    Chart("projects-by-direction", gettext_lazy("Projects by direction"), "projects", "direction", "projects"),
    Chart("projects-by-status", gettext_lazy("Projects by status"), "projects", "status", "projects"),
    Chart("budget-by-cluster", gettext_lazy("Budget by cluster, RUB"), "budget", "cluster", "projects"),
    Chart("budget-by-direction", gettext_lazy("Budget by direction, RUB"), "budget", "direction", "projects"),
    Chart("jobs-by-cluster", gettext_lazy("Jobs created by cluster"), "jobs", "cluster", "projects"),
    Chart("jobs-by-direction", gettext_lazy("Jobs created by direction"), "jobs", "direction", "projects"),
    Chart("stakeholders-by-kind", gettext_lazy("Stakeholders by kind"), "stakeholders", "kind", "others"),
    Chart("articles-per-year", gettext_lazy("Articles per year"), "articles", "year", "others"),
]  # fmt: skip
CHARTS_BY_SLUG = {chart.slug: chart for chart in CHARTS}

# Sums of a project field, each over the projects that state a value.
SUMMED = {"budget": "budget", "jobs": "jobs_created"}
MEASURE_LABELS = {
    "projects": gettext_lazy("Projects"),
    "budget": gettext_lazy("Budget, RUB"),
    "jobs": gettext_lazy("Jobs created"),
    "stakeholders": gettext_lazy("Stakeholders"),
    "articles": gettext_lazy("Articles"),
}
DIMENSION_LABELS = {
    "cluster": gettext_lazy("Cluster"),
    "direction": gettext_lazy("Direction"),
    "status": gettext_lazy("Status"),
    "kind": gettext_lazy("Kind"),
    "year": gettext_lazy("Year"),
}
NOT_STATED = {
    "cluster": gettext_lazy("No cluster stated"),
    "direction": gettext_lazy("No direction stated"),
    "status": gettext_lazy("Status not stated"),
    "kind": gettext_lazy("Kind not stated"),
}


@dataclass
class Row:
    key: str | None  # the slug or choice; None for "not stated"
    label: str
    value: object  # a count, a sum, or None where no project states the value
    lang: str | None = None  # the label's language where it is not the page's
    stated: int | None = None  # sums: projects stating a value
    not_stated: int | None = None  # sums: projects stating none


@dataclass
class Table:
    chart: Chart
    rows: list = field(default_factory=list)

    @property
    def plotted(self):
        """The rows a chart draws: those with a stated, non-zero value."""
        return [row for row in self.rows if row.value]

    @property
    def is_empty(self):
        return not self.plotted

    @property
    def is_all_not_stated(self):
        """A sum no matching project states a value of, in any row: the page leaves it out."""
        return self.is_sum and all(row.value is None for row in self.rows)

    @property
    def is_sum(self):
        return self.chart.measure in SUMMED

    @property
    def not_stated_total(self):
        """Projects that state no value (sums), counted once even when in several rows."""
        return sum(row.not_stated or 0 for row in self.rows) if self.is_sum else 0

    def header(self):
        """Column names of the downloads (stable, in English, whatever the page language)."""
        dimension, measure = self.chart.dimension, self.chart.measure
        if dimension == "year":
            return ["year", measure]
        columns = [dimension, "name"]
        if self.is_sum:
            unit = "budget_rub" if measure == "budget" else "jobs_created"
            return [
                *columns,
                unit,
                f"projects_stating_{measure}",
                f"projects_not_stating_{measure}",
            ]
        return [*columns, measure]

    def records(self):
        for row in self.rows:
            if self.chart.dimension == "year":
                yield [row.key, row.value]
            elif self.is_sum:
                yield [row.key, row.label, row.value, row.stated, row.not_stated]
            else:
                yield [row.key, row.label, row.value]


# Reading the numbers -----------------------------------------------------------------------


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


# Drawing -----------------------------------------------------------------------------------


def _number(value):
    return number_format(value, decimal_pos=0, force_grouping=True)


def _axis_number(value):
    """A budget on the axis: in millions of roubles from a million up, as "250 mln"."""
    if abs(value) >= 1_000_000:
        decimals = 0 if value % 1_000_000 == 0 else 1
        return _("%(value)s mln") % {"value": number_format(value / 1_000_000, decimals, True)}
    return _number(value)


def ticks(top, count=5):
    """About ``count`` round ticks (1, 2 or 5 times a power of ten) from 0 past ``top``;
    whole numbers only, since what is counted or summed here never comes in fractions."""
    top = float(top)
    raw = max(top / count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return list(range(0, math.ceil(top / step) * step + 1, step))


def render_svg(table):
    """The chart of ``table`` as an SVG document (pygal), labels in the active language."""
    rows = table.plotted
    style = pygal.style.Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1a1a1a",
        foreground_strong="#1a1a1a",
        foreground_subtle="#5a5a5a",
        colors=("#1f5f8b",),
        opacity="1",
        opacity_hover="1",
        transition="none",
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
        # Large: the image is scaled down to the width of a phone.
        label_font_size=20,
        major_label_font_size=20,
        no_data_font_size=28,
    )
    vertical = table.chart.dimension == "year"
    kind = pygal.Bar if vertical else pygal.HorizontalBar
    width, height = chart_size(table)
    chart = kind(
        style=style,
        width=width,
        height=height,
        show_legend=False,
        js=[],  # no script: the image is drawn, not run
        truncate_label=LABEL_LENGTH,
        value_formatter=_axis_number if table.chart.measure == "budget" else _number,
        no_data_text=_("No data"),
        margin=16,
    )
    # A stable identifier, so the same numbers give the same document (and ETag).
    chart.uuid = f"statistics-{table.chart.slug}"
    if not vertical:
        rows = rows[::-1]  # pygal draws the first bar at the bottom; the table starts on top
    chart.x_labels = [Truncator(row.label).chars(LABEL_LENGTH) for row in rows]
    if rows:
        # Budgets have long tick labels ("1,500 mln"): fewer of them.
        count = 3 if table.chart.measure == "budget" else 5
        chart.y_labels = ticks(max(row.value for row in rows), count)
    chart.add(str(MEASURE_LABELS[table.chart.measure]), [float(row.value) for row in rows])
    tree = chart.render_tree()
    # pygal always writes its tooltip configuration as a <script>; an image runs none anyway,
    # and the document is served without it.
    for parent in list(tree.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return "<?xml version='1.0' encoding='utf-8'?>\n" + etree.tostring(tree, encoding="unicode")


def chart_size(table):
    if table.chart.dimension == "year":
        return CHART_WIDTH, YEARS_HEIGHT
    return CHART_WIDTH, CHART_MARGIN + BAR_HEIGHT * max(len(table.plotted), 1)


# Views -------------------------------------------------------------------------------------


class StatisticsView(FilteredPageMixin, PublicPageMixin, TemplateView):
    """``/statistics/``: every chart as a table and an image, filtered like the project list."""

    filterset_class = ProjectFilterSet
    template_name = "portal/statistics.html"
    section = "statistics"
    title = gettext_lazy("Statistics")
    page_description = gettext_lazy(
        "The INO Tomsk directory in numbers: projects by cluster, direction and status, "
        "budgets and jobs, stakeholders by kind and articles per year."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The images and downloads take the applied filters only.
        query = self.query.urlencode()
        tables = [build_table(chart, self.listing) for chart in CHARTS]
        context.update(
            self.filter_context(),
            tables=[
                {
                    "table": table,
                    "slug": table.chart.slug,
                    "title": table.chart.title,
                    "dimension_label": DIMENSION_LABELS[table.chart.dimension],
                    "measure_label": MEASURE_LABELS[table.chart.measure],
                    "size": chart_size(table),
                    "image_url": _chart_url(table.chart.slug, "svg", query),
                    "csv_url": _chart_url(table.chart.slug, "csv", query),
                    "json_url": _chart_url(table.chart.slug, "json", query),
                    "left_out": table.is_all_not_stated,
                }
                for table in tables
            ],
            # Charts of values nobody states: named in one sentence instead of drawn empty.
            left_out=[str(table.chart.title) for table in tables if table.is_all_not_stated],
            is_filtered=bool(self.query.filters),
            # The programme's stated figures beside the whole directory's counts.
            stated_figures=stated_and_counted(),
        )
        return context


def _chart_url(slug, fmt, query):
    url = reverse("public:statistics-chart", kwargs={"chart": slug, "fmt": fmt})
    return f"{url}?{query}" if query else url


class ChartView(View):
    """``/statistics/<chart>.<svg|csv|json>``: one chart as an image or as data."""

    formats = ("svg", "csv", "json")

    def get(self, request, chart, fmt):
        reject_nul_bytes(request)
        if chart not in CHARTS_BY_SLUG or fmt not in self.formats:
            raise Http404(_("There is no such chart."))
        query = parse_query(ProjectFilterSet, request.GET)
        if query.refused:
            return refusals.refused_response(query.refused, fmt)
        listing = Listing(ProjectFilterSet, query)
        table = build_table(CHARTS_BY_SLUG[chart], listing)
        if fmt == "svg":
            return self.image(request, table, listing)
        meta = {
            "title": str(table.chart.title),
            "language": request.LANGUAGE_CODE,
            "filters": query.active,
            "source": _("Published entries of the INO Tomsk directory"),
        }
        if table.is_sum:
            meta["note"] = _(
                "Sums are over the projects that state a value; projects that state none are "
                "counted in the last column, never as zero."
            )
        filename = f"inotomsk-statistics-{chart}"
        if request.LANGUAGE_CODE != "en":
            filename += f"-{request.LANGUAGE_CODE}"
        return tabular_response(fmt, filename, table.header(), table.records(), meta)

    @staticmethod
    def image(request, table, listing):
        """The chart, drawn once per content version, filters and language.

        Its policy is set here and it is never kept by the page cache ("no-cache"): a 304
        built by Django's conditional GET middleware would carry the site's strict policy,
        which browsers merge into their stored copy, and the image would lose its styles.
        So the view answers revalidations itself, with the image's own policy.
        """
        svg = versioned(
            "statistics-svg", [table.chart.slug, listing.key], lambda: render_svg(table)
        )
        etag = '"' + hashlib.md5(svg.encode(), usedforsecurity=False).hexdigest() + '"'
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
            response["ETag"] = etag
        response["Content-Security-Policy"] = IMAGE_POLICY
        response["Cache-Control"] = "no-cache"
        return response
