"""Every page type fits its screen, stays light, and is photographed for people to look at.

The screenshots (full page, 1366 px and 375 px wide) of every page type are written on every
run to screenshots/ at the project root, which git ignores; docs/ keeps two of them for the
README. Each page's HTML, CSS and JS stay under 150 KB together (before images and fonts).
"""

import pytest
from PIL import Image

from .conftest import PAGE_TYPES, SCREENSHOTS, STAFF_ONLY, status_of

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1366, "height": 768}
NARROW = {"width": 375, "height": 667}
PAGE_BUDGET = 150 * 1024
# Pages outside the HTML site that a browser still shows: a feed through its stylesheet.
MORE_PAGES = {"feed": "/news/feed/rss/", "ru-feed": "/ru/news/feed/atom/"}
# The API's documentation is Swagger UI, a developers' tool drawn by its own 1.4 MB script:
# photographed and checked for overflow, but outside the budget of the site's pages.
OUTSIDE_BUDGET = {"api-docs"}
# Lazy pictures below the fold would be blank in a full-page shot: load them all, then wait.
LOAD_ALL_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach((img) => { img.loading = "eager"; });
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  return images.filter((img) => !img.naturalWidth).map((img) => img.currentSrc || img.src);
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Bytes of the page, its style sheets and scripts, as the browser decoded them.
WEIGHT = """() => {
  const page = performance.getEntriesByType("navigation")[0].decodedBodySize;
  const parts = performance.getEntriesByType("resource")
    .filter((entry) => /\\.(css|js)(\\?|$)/.test(new URL(entry.name).pathname))
    .reduce((sum, entry) => sum + entry.decodedBodySize, 0);
  return page + parts;
}"""


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["desktop", "phone"])
def test_pages_fit_the_screen_stay_light_and_are_photographed(site, open_tab, viewport):
    name = "desktop" if viewport == WIDE else "phone"
    phone = {"is_mobile": True, "has_touch": True} if viewport == NARROW else {}
    SCREENSHOTS.mkdir(exist_ok=True)
    tabs = {False: open_tab(viewport, **phone), True: open_tab(viewport, **phone, **site.login())}
    overflowing, heavy = {}, {}
    pages = {**site.pages, **MORE_PAGES}
    for page_type in [*PAGE_TYPES, *MORE_PAGES]:
        tab = tabs[page_type in STAFF_ONLY]
        tab.goto(pages[page_type], status=status_of(page_type))
        overflow = tab.page.evaluate(OVERFLOW)
        if overflow > 0:
            overflowing[page_type] = overflow
        weight = tab.page.evaluate(WEIGHT)
        if weight > PAGE_BUDGET and page_type not in OUTSIDE_BUDGET:
            heavy[page_type] = weight
        assert tab.page.evaluate(LOAD_ALL_IMAGES) == [], f"broken pictures on {page_type}"
        path = SCREENSHOTS / f"{page_type}-{name}.png"
        tab.page.screenshot(path=path, full_page=True)
        with Image.open(path) as shot:
            assert shot.width == viewport["width"]
            assert shot.height >= viewport["height"]
    assert overflowing == {}, f"pages scroll sideways at {viewport['width']} px (by px)"
    assert heavy == {}, f"pages over {PAGE_BUDGET} bytes of HTML, CSS and JS"
    for tab in tabs.values():
        # Chromium's own notice that it is dropping XSLT uses inline styles and handlers, which
        # our CSP refuses (and so hides it); nothing of ours.
        problems = [
            problem
            for problem in tab.problems
            if not ("/feed/" in problem and "violates the following Content Security" in problem)
        ]
        assert problems == []
