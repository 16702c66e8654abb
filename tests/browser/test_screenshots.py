"""Every page type fits its screen, and the main pages are photographed for people to look at.

The screenshots (full page, desktop 1280 px and phone 375 px wide) are written on every run to
screenshots/ at the project root, which git ignores.
"""

import pytest
from PIL import Image

from .conftest import DESKTOP, PAGE_TYPES, PHONE, SCREENSHOTS, STAFF_ONLY, status_of

pytestmark = pytest.mark.django_db(transaction=True)

MAIN_PAGES = ["home", "news", "article", "project", "cluster", "stakeholder", "parks", "search"]
# Lazy pictures below the fold would be blank in a full-page shot: load them all, then wait.
LOAD_ALL_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach((img) => { img.loading = "eager"; });
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  return images.filter((img) => !img.naturalWidth).map((img) => img.currentSrc || img.src);
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_pages_fit_the_screen_and_are_photographed(site, open_tab, viewport):
    name = "desktop" if viewport == DESKTOP else "phone"
    SCREENSHOTS.mkdir(exist_ok=True)
    tabs = {False: open_tab(viewport), True: open_tab(viewport, **site.login())}
    overflowing = {}
    for page_type in PAGE_TYPES:
        tab = tabs[page_type in STAFF_ONLY]
        tab.goto(site.pages[page_type], status=status_of(page_type))
        overflow = tab.page.evaluate(OVERFLOW)
        if overflow > 0:
            overflowing[page_type] = overflow
        if page_type not in MAIN_PAGES:
            continue
        assert tab.page.evaluate(LOAD_ALL_IMAGES) == [], f"broken pictures on {page_type}"
        path = SCREENSHOTS / f"{page_type}-{name}.png"
        tab.page.screenshot(path=path, full_page=True)
        with Image.open(path) as shot:
            assert shot.width == viewport["width"]
            assert shot.height >= viewport["height"]
    assert overflowing == {}, f"pages scroll sideways at {viewport['width']} px (by px)"
    for tab in tabs.values():
        assert tab.problems == []
