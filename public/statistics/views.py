"""The statistics page and each chart's image and downloads."""

import hashlib

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from ..base import PublicPageMixin, reject_nul_bytes
from ..caching import versioned
from ..downloads import tabular_response
from ..indicators import stated_and_counted
from ..listing import Listing, parse_query, refusals
from ..listing.lists import ProjectFilterSet
from ..listing.views import FilteredPageMixin
from .charts import CHARTS, CHARTS_BY_SLUG, DIMENSION_LABELS, MEASURE_LABELS
from .drawing import chart_size, render_svg
from .reading import build_table

# The policy of a chart image: pygal styles it with a <style> element; it runs no script and
# loads nothing (the pages that show it keep the site's strict policy).
IMAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


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
