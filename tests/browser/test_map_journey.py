"""The map in a browser: filter it, follow a marker's popup and a list item to the page, in
English and Russian; no request leaves the portal's host (no tile source is configured);
axe and the Nu HTML Checker find nothing on /map/ and /ru/map/."""

import json
import subprocess
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from .conftest import PARK, STAKEHOLDER
from .test_accessibility import AXE, RUN_AXE, WCAG_21_A_AA

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def placed(site, settings):
    """Demo places made here (the seeds state none): the park and a stakeholder, far apart."""
    from portal.models import Park, Stakeholder

    settings.MAP_TILE_URL = ""
    Park.objects.filter(slug=PARK).update(
        latitude=Decimal("56.4650"), longitude=Decimal("84.9500"), address="Tomsk"
    )
    Stakeholder.objects.filter(slug=STAKEHOLDER).update(
        latitude=Decimal("56.5200"), longitude=Decimal("85.0500")
    )
    return site


def recorded(tab):
    """Every URL the tab requests from now on."""
    urls = []
    tab.page.on("request", lambda request: urls.append(request.url))
    return urls


@pytest.mark.parametrize("prefix", ["", "/ru"], ids=["en", "ru"])
def test_filter_the_map_and_follow_a_marker_and_a_list_item(placed, open_tab, prefix):
    tab = open_tab()
    urls = recorded(tab)
    tab.goto(f"{prefix}/map/")
    page = tab.page
    # The park, the stakeholder and the project at the park; the filter keeps the park alone.
    assert page.locator(".map-list a").count() == 3
    page.check("input[name=kind][value=park]")
    page.click(".map-filters button[type=submit]")
    page.wait_for_url("**/map/?*kind=park*")
    assert page.locator(".map-list a").count() == 1
    marker = page.locator(".leaflet-marker-icon.map-pin--park")
    marker.wait_for()
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert page.locator(".map-canvas--plain").count() == 1  # no tiles: the plain background
    assert page.locator(".leaflet-control-scale").count() == 1
    marker.click()
    popup_link = page.locator(".leaflet-popup-content a")
    popup_link.wait_for()
    popup_link.click()
    page.wait_for_url(f"**{prefix}/parks/{PARK}/")
    page.go_back()
    page.locator(".map-list a").first.click()
    page.wait_for_url(f"**{prefix}/parks/{PARK}/")
    assert page.locator("h1").inner_text().startswith("Tomsk medical campus")
    host = urlsplit(tab.base_url).netloc
    assert {urlsplit(url).netloc for url in urls} == {host}
    assert tab.problems == []


def test_axe_and_nu_find_nothing_on_the_map(placed, open_tab, vnu_jar, tmp_path):
    tab = open_tab(bypass_csp=True)  # for the injected axe script alone
    tab.page.context.add_init_script(path=str(AXE))
    report, files = [], []
    # A refused filter is a 400 that says so; the map still shows what the others keep.
    for path, status in (("/map/", 200), ("/ru/map/", 200), ("/map/?kind=park&cluster=x", 400)):
        tab.goto(path, status=status)
        tab.page.locator(".leaflet-marker-icon, .empty-state").first.wait_for()
        for violation in tab.page.evaluate(RUN_AXE, WCAG_21_A_AA):
            report.append(f"{path}: {violation['id']}: {violation['help']} {violation['nodes']}")
        response = tab.page.request.get(tab.url(path))
        file = tmp_path / f"map-{len(files)}.html"
        file.write_bytes(response.body())
        files.append(str(file))
    assert not report, "\n".join(report)
    result = subprocess.run(
        [*vnu_jar, "--format", "json", "--errors-only", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stdout)["messages"]
    assert not messages, "\n".join(f"{m.get('url')}: {m['message']}" for m in messages)
    assert tab.problems == []


def test_tiles_from_the_configured_source_alone(placed, open_tab, settings):
    """With a tile source (here a static image of the live server), the map draws its tiles
    after it has found its view: no tile is blanked with a data: image the CSP refuses."""
    settings.MAP_TILE_URL = placed.url + "/static/vendor/leaflet/images/layers.png?t={z}/{x}/{y}"
    settings.MAP_TILE_ATTRIBUTION = "Test tiles"
    tab = open_tab()
    urls = recorded(tab)
    tab.goto("/map/")
    page = tab.page
    page.locator(".leaflet-marker-icon, .marker-cluster").first.wait_for()
    page.locator(".leaflet-tile-loaded").first.wait_for()
    assert page.locator(".map-canvas--plain").count() == 0
    assert "Test tiles" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.locator("#map-note").is_hidden()
    page.wait_for_load_state("networkidle")
    host = urlsplit(tab.base_url).netloc
    assert {urlsplit(url).netloc for url in urls} == {host}
    assert tab.problems == []
