"""The admin's map of a place in a browser (cms/place_picker.py): with a tile source set (here
a static image of the live server itself, so nothing leaves the machine), clicking the map
fills the latitude and longitude, saving stores them, and a stored place shows as a marker;
without a tile source the number fields stand alone."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from portal.models import Park, Stakeholder

from .conftest import PARK, STAKEHOLDER

pytestmark = pytest.mark.django_db(transaction=True)
START = (56.4846, 84.9476)  # where the map opens with no place yet (cms/place_picker.py)


@pytest.fixture
def tiles(site, settings):
    """Every tile the same local picture; the template keeps Leaflet's placeholders."""
    settings.MAP_TILE_URL = site.url + "/static/vendor/leaflet/images/layers.png?t={z}/{x}/{y}"
    settings.MAP_TILE_ATTRIBUTION = "Test tiles"
    return site


def change_url(model, pk):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{pk}/change/"


def recorded(tab):
    urls = []
    tab.page.on("request", lambda request: urls.append(request.url))
    return urls


def save(page):
    page.locator('input[name="_save"]').first.click()
    page.locator(".messagelist .success, .errornote").first.wait_for()
    assert page.locator(".errornote, .errorlist").count() == 0, page.locator(
        "#content"
    ).inner_text()


def test_click_the_map_and_save(tiles, open_tab):
    park = Park.objects.get(slug=PARK)
    assert park.latitude is None
    tab = open_tab(**tiles.login())
    urls = recorded(tab)
    tab.goto(change_url(Park, park.pk))
    page = tab.page
    box = page.locator(".place-picker")
    box.wait_for()
    page.locator(".place-picker .leaflet-tile-loaded").first.wait_for()
    assert page.locator(".place-picker .leaflet-marker-icon").count() == 0
    assert "Test tiles" in page.locator(".place-picker .leaflet-control-attribution").inner_text()

    # The middle of the map is where it opened; a click a little right of it is east of that.
    area = box.bounding_box()
    middle = {"x": area["width"] / 2, "y": area["height"] / 2}
    box.click(position=middle)
    latitude, longitude = page.locator("#id_latitude"), page.locator("#id_longitude")
    assert abs(float(latitude.input_value()) - START[0]) < 0.01
    assert abs(float(longitude.input_value()) - START[1]) < 0.01
    box.click(position={"x": middle["x"] + 120, "y": middle["y"]})
    east = (latitude.input_value(), longitude.input_value())
    assert float(east[1]) > START[1] + 0.05 and abs(float(east[0]) - START[0]) < 0.01
    assert len(east[0].split(".")[1]) == 6  # the fields' precision
    assert page.locator(".place-picker .leaflet-marker-icon").count() == 1
    save(page)

    park.refresh_from_db()
    assert (park.latitude, park.longitude) == (Decimal(east[0]), Decimal(east[1]))
    host = urlsplit(tiles.url).netloc
    assert {urlsplit(url).netloc for url in urls} == {host}
    assert tab.problems == []


def test_a_stored_place_shows_as_a_marker(tiles, open_tab):
    holder = Stakeholder.objects.get(slug=STAKEHOLDER)
    Stakeholder.objects.filter(pk=holder.pk).update(
        latitude=Decimal("56.520000"), longitude=Decimal("85.050000")
    )
    tab = open_tab(**tiles.login())
    tab.goto(change_url(Stakeholder, holder.pk))
    marker = tab.page.locator(".place-picker .leaflet-marker-icon")
    marker.wait_for()
    assert marker.count() == 1
    # Typed numbers move it; they are still what is saved.
    tab.page.locator("#id_latitude").fill("56.4")
    tab.page.locator("#id_latitude").dispatch_event("change")
    save(tab.page)
    holder.refresh_from_db()
    assert (holder.latitude, holder.longitude) == (Decimal("56.4"), Decimal("85.05"))
    assert tab.problems == []


def test_no_tile_source_no_map(site, open_tab, settings):
    settings.MAP_TILE_URL = ""
    tab = open_tab(**site.login())
    urls = recorded(tab)
    tab.goto(change_url(Park, Park.objects.get(slug=PARK).pk))
    assert tab.page.locator("#id_latitude").get_attribute("type") == "number"
    assert tab.page.locator(".place-picker, .leaflet-container").count() == 0
    assert not any("leaflet" in url for url in urls)
    assert tab.problems == []
