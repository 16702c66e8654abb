"""On a phone, ticking a filter keeps the filter panel open and scrolled where it was, with
the ticked box focused (static/js/site.js), in both languages; the next visit starts closed."""

import re

import pytest

from .conftest import CLUSTER

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_PHONE = {"width": 375, "height": 667}


def panel_state(page):
    return page.evaluate(
        """() => ({
            open: document.querySelector("details.list-filters").open,
            y: window.scrollY,
            focused: document.activeElement && document.activeElement.value,
        })"""
    )


@pytest.mark.parametrize(
    "prefix,group,label",
    [("", "Stakeholder", "Cardiology"), ("/ru", "Участник", "Cardiology")],
)
def test_ticking_a_filter_keeps_the_panel_open_where_it_was(site, open_tab, prefix, group, label):
    tab = open_tab(SMALL_PHONE, is_mobile=True, has_touch=True)
    page = tab.page
    tab.goto(f"{prefix}/news/")
    page.locator("details.list-filters > summary").tap()
    facet = page.get_by_role("group", name=group)
    facet.locator("summary", has_text=re.compile(r"\d")).tap()  # "show more"
    box = facet.get_by_role("checkbox", name=re.compile(label))
    box.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 40)")  # somewhere down the panel, not at a round place
    before = box.bounding_box()["y"]
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 300  # well down the page: a reload would have jumped to the top
    value = box.get_attribute("value")
    box.tap()
    page.wait_for_url(re.compile(r"\?stakeholder="))
    page.wait_for_function("document.activeElement && document.activeElement.type === 'checkbox'")
    state = panel_state(page)
    assert state["open"], "the panel closed"
    assert state["focused"] == value
    ticked = page.locator(f'form.facets input[name="stakeholder"][value="{value}"]')
    assert ticked.is_checked() and ticked.is_visible()
    # Where it was on the screen, whatever options came or went above it (fewer options
    # have results now, so the page itself is scrolled less far).
    assert abs(ticked.bounding_box()["y"] - before) <= 2
    assert state["y"] > 0
    # Unticking it keeps the panel open too.
    ticked.tap()
    page.wait_for_url(re.compile(rf"{prefix}/news/\?$|{prefix}/news/$"))
    page.wait_for_function("document.activeElement && document.activeElement.type === 'checkbox'")
    assert panel_state(page)["open"]
    # A new visit of the list, or another list, starts with the panel closed.
    tab.goto(f"{prefix}/news/")
    assert not panel_state(page)["open"] and panel_state(page)["y"] == 0
    tab.goto(f"{prefix}/projects/?cluster={CLUSTER}")
    assert not panel_state(page)["open"]
    assert tab.problems == []


def test_without_storage_the_filters_still_apply(site, open_tab):
    tab = open_tab(SMALL_PHONE, is_mobile=True, has_touch=True)
    page = tab.page
    # Session storage refused (a privacy setting): the box still applies itself.
    page.add_init_script(
        "Object.defineProperty(window, 'sessionStorage', {get() { throw new Error('denied'); }});"
    )
    tab.goto("/projects/")
    page.locator("details.list-filters > summary").tap()
    page.get_by_role("group", name="Cluster").get_by_role("checkbox").first.tap()
    page.wait_for_url(re.compile(r"\?cluster="))
    assert tab.problems == []
