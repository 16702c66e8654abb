"""Drawing a chart of the statistics page as an SVG document (pygal)."""

import math

import pygal
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from pygal.etree import etree

from .charts import MEASURE_LABELS

# Room per bar of a horizontal chart, and around the bars, in SVG units.
BAR_HEIGHT = 48
CHART_MARGIN = 100
CHART_WIDTH = 640
YEARS_HEIGHT = 360
# Category labels longer than this are cut with an ellipsis (the table has them whole).
LABEL_LENGTH = 24


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
