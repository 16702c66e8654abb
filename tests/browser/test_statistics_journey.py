"""A visitor reads the statistics page: the charts load as images under the strict policy,
a cluster filter narrows them, and a table downloads as CSV."""

import csv
import io
from pathlib import Path

import pytest

from .conftest import CLUSTER

pytestmark = pytest.mark.django_db(transaction=True)

LOADED_IMAGES = """() => Array.from(document.querySelectorAll(".statistic-chart img")).map((img) => ({
  src: img.getAttribute("src"),
  complete: img.complete,
  width: img.naturalWidth,
  height: img.naturalHeight,
  shown: img.getBoundingClientRect().width,
  alt: img.alt,
  // Pixels of the bar colour (#1f5f8b), which only the image's own styles give the bars.
  styled: (() => {
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - 31) < 8 && Math.abs(data[i + 1] - 95) < 8 && Math.abs(data[i + 2] - 139) < 8) count++;
    }
    return count;
  })(),
}))"""


def charts_of(tab):
    tab.page.wait_for_load_state("load")
    images = tab.page.evaluate(LOADED_IMAGES)
    assert images, "no chart on the page"
    for image in images:
        assert image["complete"] and image["width"] > 0 and image["height"] > 0, image
        assert image["shown"] > 0 and len(image["alt"]) > 20, image
        assert image["styled"] > 100, f"the chart is drawn without its styles: {image}"
    return images


def test_visitor_reads_filters_and_downloads_the_statistics(site, open_tab):
    tab = open_tab()
    page = tab.page
    tab.goto("/")
    # The main navigation links to the page (however the menu is folded on this screen).
    assert page.locator('nav.site-nav a[href="/statistics/"]').count() == 1
    tab.goto("/statistics/")
    assert page.get_by_role("heading", level=1).inner_text() == "Statistics"
    everything = charts_of(tab)
    assert everything[0]["alt"].startswith("Bar chart: Projects by cluster.")
    assert len(everything) >= 5  # the seeds have projects, stakeholders and articles
    # Each chart has its table, with the same heading as caption.
    table = page.get_by_role("table", name="Projects by cluster")
    assert table.get_by_role("rowheader").count() >= 2

    # Filter by one cluster with the page's own form.
    form = page.locator("form.facets")
    form.locator(f'input[name="cluster"][value="{CLUSTER}"]').check()
    if "cluster=" not in page.url:  # unless the form applied itself on change
        form.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(f"**/statistics/?*cluster={CLUSTER}*")
    filtered = charts_of(tab)
    assert all(f"cluster={CLUSTER}" in image["src"] for image in filtered)
    assert page.locator(".chips").get_by_role("link").count() == 1

    # The table of that view downloads as CSV, as a spreadsheet reads it.
    with page.expect_download() as info:
        page.locator("#projects-by-status").get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == "inotomsk-statistics-projects-by-status.csv"
    body = Path(download.path()).read_text(encoding="utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == ["status", "name", "projects"]
    shown = page.get_by_role("table", name="Projects by status").get_by_role("cell")
    assert [row[2] for row in rows[1:]] == [text.strip() for text in shown.all_inner_texts()], (
        "the CSV and the table differ"
    )

    # Opened on its own, a chart is an SVG document whose styles its own policy allows.
    tab.goto(filtered[0]["src"])
    font = page.evaluate("() => getComputedStyle(document.documentElement).fontFamily")
    assert "system-ui" in font, font

    # Not one CSP violation, failed image or script error on the way.
    assert tab.problems == []


def test_russian_statistics_page_draws_its_charts(site, open_tab):
    tab = open_tab()
    tab.goto("/ru/statistics/")
    images = charts_of(tab)
    assert all(image["src"].startswith("/ru/statistics/") for image in images)
    assert images[0]["alt"].startswith("Столбчатая диаграмма: Проекты по кластерам")
    assert tab.problems == []
