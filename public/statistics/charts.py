"""The charts of the statistics page: what each counts, by what, and its table of rows."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy


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
