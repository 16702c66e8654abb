"""The map (public/map.py): coordinates on parks, stakeholders and events, /map/ with the
lists' filters, its GeoJSON (RFC 7946), the menu entry and the CSP of the tile source."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inotomsk.maptiles import tile_origin
from portal.models import Park, Stakeholder

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed():
    """A park, a stakeholder and an event with places; a project at the park; one without."""
    timber = factories.cluster(name="Timber", slug="timber")
    medicine = factories.direction(name="Medicine", slug="medicine")
    park = factories.park(
        name="Tech park", latitude=Decimal("56.4846"), longitude=Decimal("84.9476")
    )
    timber.parks.add(park)
    holder = factories.stakeholder(
        name="Tomsk University", latitude=Decimal("56.4698"), longitude=Decimal("84.9480")
    )
    project = factories.project(name="Clinic", direction=medicine)
    project.parks.add(park)
    factories.event(title="Forum", latitude=Decimal("56.5"), longitude=Decimal("85.0"))
    factories.park(name="Unplaced park")
    return {"park": park, "holder": holder, "project": project}


def menu(html):
    return html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


def names(response):
    return [feature["properties"]["name"] for feature in response.json()["features"]]


def test_the_seed_rows_have_no_place(seeded):
    assert not Park.objects.filter(latitude__isnull=False).exists()
    assert not Stakeholder.objects.filter(latitude__isnull=False).exists()


@pytest.mark.parametrize(
    "lat,lon,field",
    [
        ("91", "10", "latitude"),
        ("10", "-181", "longitude"),
        ("10", None, "longitude"),
        (None, "10", "latitude"),
    ],
)
def test_bad_coordinates_are_form_errors(lat, lon, field):
    holder = factories.stakeholder()
    holder.latitude = Decimal(lat) if lat else None
    holder.longitude = Decimal(lon) if lon else None
    with pytest.raises(ValidationError) as error:
        holder.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize("model", ["park", "stakeholder", "event"])
def test_the_database_refuses_half_a_place(model):
    with pytest.raises(IntegrityError), transaction.atomic():
        getattr(factories, model)(latitude=Decimal("56.5"))


def test_the_empty_map_says_how_staff_add_a_place(client):
    factories.park(name="Unplaced park")
    for prefix, text in [("", "No item has a place yet."), ("/ru", "Пока ни у одной записи")]:
        response = client.get(f"{prefix}/map/")
        assert response.status_code == 200
        html = response.content.decode()
        assert text in html
        assert 'id="map-canvas"' not in html
        assert f'href="{prefix}/map/"' not in menu(html)


def test_the_map_lists_every_place_and_is_in_the_menu(client, placed):
    html = client.get("/map/").content.decode()
    for name in ["Tech park", "Tomsk University", "Clinic", "Forum"]:
        assert name in html
    assert "Unplaced park" not in html
    assert '<a href="/map/" aria-current="page">' in menu(html)
    assert 'data-tile-url=""' in html
    russian = client.get("/ru/map/").content.decode()
    assert 'href="/ru/map/"' in menu(russian) and "Карта" in russian


def test_the_filters_apply_to_the_list_and_the_geojson(client, placed):
    html = client.get("/map/?cluster=timber").content.decode()
    assert "Tech park" in html and "Tomsk University" not in html
    data = client.get("/map/data.geojson?direction=medicine&kind=project")
    assert names(data) == ["Clinic"]
    assert data.json()["features"][0]["geometry"]["coordinates"] == [84.9476, 56.4846]
    assert names(client.get("/map/data.geojson?kind=event")) == ["Forum"]


def test_the_geojson_is_rfc_7946(client, placed):
    response = client.get("/map/data.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 4
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["properties"]["url"].startswith("http://testserver/")
    # The API serves the same places, in the language asked for.
    api = client.get("/api/v1/places.geojson?lang=ru&kind=park")
    assert api.status_code == 200 and names(api) == ["Tech park"]
    assert api.json()["features"][0]["properties"]["kind_label"] == "Парк"


@pytest.mark.parametrize(
    "url", ["/map/?cluster=nope", "/map/?kind=secret", "/map/data.geojson?direction=%3Cx%3E"]
)
def test_a_bad_filter_is_a_400_that_keeps_the_rest(client, placed, url):
    response = client.get(url)
    assert response.status_code == 400


def test_a_bad_filter_is_named_on_the_page(client, placed):
    html = client.get("/map/?cluster=nope&kind=park").content.decode()
    assert "The Cluster filter was not applied" in html
    assert "Tech park" in html and "Tomsk University" not in html


def test_the_map_asks_for_the_applied_filters_only(client, placed):
    """The script loads the data link: with a refused filter in it, the map stayed empty."""
    response = client.get("/map/?cluster=nope&kind=park&direction=medicine")
    assert response.context["data_url"] == "/map/data.geojson?direction=medicine&kind=park"
    assert client.get(response.context["data_url"]).status_code == 200
    assert client.get("/ru/map/").context["data_url"].endswith("/map/data.geojson")


def test_no_tiles_no_other_host_in_the_csp(client, placed):
    response = client.get("/map/")
    assert "tile" not in response["Content-Security-Policy"]


def test_a_tile_source_joins_img_src_only():
    assert tile_origin("https://{s}.tiles.example/{z}/{x}/{y}.png") == "https://*.tiles.example"
    assert tile_origin("https://tiles.example:8443/{z}/{x}/{y}.png") == "https://tiles.example:8443"
    assert tile_origin("") == ""


def test_the_page_passes_a_configured_tile_source(client, placed, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Tiles"
    html = client.get("/map/?kind=park").content.decode()
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in html


def test_the_lists_and_open_data_page_link_the_geojson(client, placed):
    timber = "timber"
    parks = client.get(f"/parks/?cluster={timber}").content.decode()
    assert f'href="/map/data.geojson?kind=park&amp;cluster={timber}"' in parks
    stakeholders = client.get("/ru/stakeholders/").content.decode()
    assert 'href="/ru/map/data.geojson?kind=stakeholder"' in stakeholders
    assert 'href="/map/data.geojson?kind=event"' in client.get("/events/").content.decode()
    geojson = client.get(f"/map/data.geojson?kind=park&cluster={timber}").json()
    assert [f["properties"]["name"] for f in geojson["features"]] == ["Tech park"]
    page = client.get("/ru/open-data/").content.decode()
    assert 'id="inotomsk-places"' in page and 'href="/ru/map/data.geojson"' in page
    assert "долгота, затем широта" in page and 'href="/api/v1/places.geojson"' in page
