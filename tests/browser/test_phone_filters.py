"""Lists on a phone and filters on every screen, in a real browser.

On a 375 × 667 phone every list page shows its first result within the first screen, filtered
or not, with the filters behind a "Filters (n)" disclosure; applying them shows the results
with the active filters as removable chips. On a desktop the filters are a sidebar. Facets show
their first options with "show more", hide options without results, and the long stakeholder
facet has a box to find an option (with script; without, "show more" lists them all). With
script a ticked box applies itself; without script the button does it.
"""

import re

import pytest

from .conftest import CLUSTER, DESKTOP

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_PHONE = {"width": 375, "height": 667}
CLUSTER_NAME = "Pharmaceutical cluster and cluster of medical equipment and IT"
RESULT = ".list-results .card, .list-results .row-list > li"
# Or, on a list with nothing published yet, what says so.
RESULT_OR_EMPTY = f"{RESULT}, .list-results .empty-state"
# Every list page built on templates/includes/list_page.html, plain and filtered. Pages added
# by other sections are checked once they exist (a 404 before then).
LISTS = {
    "/news/": 0,
    f"/news/?cluster={CLUSTER}": 1,
    f"/news/?cluster={CLUSTER}&direction=science-and-education": 2,
    "/projects/": 0,
    f"/projects/?cluster={CLUSTER}": 1,
    "/stakeholders/": 0,
    "/stakeholders/?kind=university": 1,
    "/parks/": 0,
    "/parks/?type=medical": 1,
    "/ru/news/": 0,
    f"/ru/projects/?cluster={CLUSTER}": 1,
}
LATER_LISTS = ["/events/", "/roadmap/", "/documents/"]


def filters_toggle(page):
    return page.locator("details.list-filters > summary")


def toggle_text(page):
    return " ".join(filters_toggle(page).inner_text().split())


def test_phone_lists_show_results_first(site, open_tab):
    tab = open_tab(SMALL_PHONE, is_mobile=True, has_touch=True)
    page = tab.page
    checked = []
    paths = dict(LISTS)
    for path in LATER_LISTS:
        if page.goto(tab.url(path)).status == 200:
            paths[path] = 0
    for path, active in paths.items():
        tab.goto(path)
        first = page.locator(RESULT if path in LISTS else RESULT_OR_EMPTY).first
        assert first.count() == 1, f"no result on {path}"
        top = first.bounding_box()["y"]
        assert top < 700, f"the first result of {path} starts {top:.0f} px down"
        if path not in LISTS and not page.locator("form.facets").count():
            continue  # an empty list with nothing to choose has no filter panel
        # The filters wait behind their disclosure, which counts the active ones.
        toggle = filters_toggle(page)
        assert re.fullmatch(r"\S+ \(\d+\)", " ".join(toggle.inner_text().split()))
        assert toggle.inner_text().endswith(f"({active})"), path
        form = page.locator("form.facets")
        assert not form.is_visible(), f"the filters of {path} are open on a phone"
        toggle.tap()
        assert form.is_visible()
        chips = page.get_by_role("list", name=re.compile("Active filters|Выбранные фильтры"))
        assert chips.get_by_role("link").count() == active, path
        checked.append(path)
    assert len(checked) >= len(LISTS)
    assert tab.problems == []


def test_applying_a_filter_on_a_phone_shows_results_and_removable_chips(site, open_tab):
    tab = open_tab(SMALL_PHONE, is_mobile=True, has_touch=True)
    page = tab.page
    tab.goto("/projects/")
    filters_toggle(page).tap()
    page.get_by_role("group", name="Cluster").get_by_role(
        "checkbox", name=re.compile(re.escape(CLUSTER_NAME))
    ).tap()
    # The box applies itself (static/js/site.js); the page comes back with the panel still
    # open (tests/browser/test_phone_panel.py); closed, the results come first.
    page.wait_for_url(re.compile(rf"/projects/\?cluster={CLUSTER}$"))
    assert toggle_text(page) == "Filters (1)"
    assert page.locator("form.facets").is_visible()
    page.evaluate("window.scrollTo(0, 0)")
    filters_toggle(page).tap()
    assert not page.locator("form.facets").is_visible()
    first = page.locator(RESULT).first
    assert first.bounding_box()["y"] < 700
    chip = page.get_by_role("list", name="Active filters").get_by_role("link")
    assert chip.inner_text().startswith("Remove filter")
    assert chip.bounding_box()["y"] < first.bounding_box()["y"] < 700
    chip.tap()
    page.wait_for_url(tab.url("/projects/?"))
    assert toggle_text(page) == "Filters (0)"
    assert page.get_by_role("list", name="Active filters").count() == 0
    assert tab.problems == []


def test_desktop_keeps_a_sidebar(site, open_tab):
    tab = open_tab(DESKTOP)
    page = tab.page
    tab.goto(f"/news/?cluster={CLUSTER}")
    form = page.get_by_role("form", name="Filter")
    assert form.is_visible() and not filters_toggle(page).is_visible()
    sidebar, results = form.bounding_box(), page.locator(".list-results").bounding_box()
    assert sidebar["x"] + sidebar["width"] <= results["x"]
    assert abs(sidebar["y"] - results["y"]) < 40
    assert tab.problems == []


def test_facets_show_a_few_options_and_find_more(site, open_tab):
    tab = open_tab(DESKTOP)
    page = tab.page
    tab.goto("/news/")
    form = page.get_by_role("form", name="Filter")
    # No option without results: five articles, no box that would find nothing.
    counts = form.locator(".facet .count").all_inner_texts()
    assert counts and "(0)" not in counts
    stakeholders = form.get_by_role("group", name="Stakeholder")
    boxes = stakeholders.locator("input[type=checkbox]")
    shown = [box for box in boxes.all() if box.is_visible()]
    assert 0 < len(shown) <= 5 < boxes.count()
    # The rest behind "show more", which needs no script.
    stakeholders.locator("summary", has_text=re.compile(r"^Show \d+ more$")).click()
    assert all(box.is_visible() for box in boxes.all())
    # With script, a name box narrows the options (and is not sent with the form).
    finder = stakeholders.get_by_role("searchbox")
    assert finder.is_visible() and finder.get_attribute("name") is None
    finder.fill("cardiology")
    visible = [box for box in boxes.all() if box.is_visible()]
    assert len(visible) == 1
    assert "Cardiology" in visible[0].evaluate("box => box.labels[0].textContent")
    finder.fill("")
    assert all(box.is_visible() for box in boxes.all())
    finder.fill("cardiology")
    # Ticked, it applies itself; empty fields are left out of the address.
    visible[0].click()
    page.wait_for_url(re.compile(r"/news/\?stakeholder=[a-z-]*cardiology[a-z-]*$"))
    page.get_by_text("1 result", exact=True).wait_for()
    assert tab.problems == []


def test_filters_work_without_script(site, open_tab):
    tab = open_tab(SMALL_PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    page = tab.page
    tab.goto("/news/")
    filters_toggle(page).tap()
    form = page.get_by_role("form", name="Filter")
    form.get_by_role("group", name="Cluster").get_by_role(
        "checkbox", name=re.compile(re.escape(CLUSTER_NAME))
    ).check()
    assert page.url == tab.url("/news/")  # nothing happens until the button
    # Without script there is no box to find a stakeholder: "show more" lists them all.
    stakeholders = form.get_by_role("group", name="Stakeholder")
    assert not stakeholders.locator(".facet-find").is_visible()
    stakeholders.locator("summary", has_text="more").tap()
    assert all(box.is_visible() for box in stakeholders.locator("input[type=checkbox]").all())
    form.get_by_role("button", name="Apply filters").tap()
    page.wait_for_url(re.compile(rf"/news/\?q=&cluster={CLUSTER}$"))
    assert page.get_by_text("2 results").is_visible()
    assert toggle_text(page) == "Filters (1)"
    assert page.locator(RESULT).first.bounding_box()["y"] < 700


def test_an_empty_direction_says_so_plainly(site, open_tab):
    tab = open_tab(SMALL_PHONE, is_mobile=True, has_touch=True)
    page = tab.page
    tab.goto("/projects/?direction=advanced-industry")
    empty = page.locator(".empty-state")
    assert "There is nothing under “Advanced industry” yet." in empty.inner_text()
    assert "Nothing matches" not in page.content()
    assert empty.bounding_box()["y"] < 700
    empty.get_by_role("link", name="Show everything").tap()
    page.wait_for_url(tab.url("/projects/?"))
    # Two filters that exclude each other: that is the filters' doing, and the page says so.
    tab.goto(f"/projects/?direction=advanced-industry&cluster={CLUSTER}")
    assert "Nothing matches these filters." in page.locator(".empty-state").inner_text()
    assert tab.problems == []
