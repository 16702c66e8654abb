"""The admin's map beside a place's latitude and longitude (cms/place_picker.py): shown only
where a tile source is configured; the number fields and their ranges stay as they are."""

import os
import subprocess
import sys
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
from django.contrib import admin
from django.forms import modelform_factory
from django.test import RequestFactory
from django.urls import reverse

from cms.place_picker import PlaceInput
from events.models import Event
from portal.models import Park, Stakeholder

from . import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
TILES = "https://tiles.example/{z}/{x}/{y}.png"


@pytest.fixture
def places():
    """A park with a place, a stakeholder and an event without."""
    return [
        factories.park(latitude=Decimal("56.4846"), longitude=Decimal("84.9476")),
        factories.stakeholder(),
        factories.event(),
    ]


def change_page(admin_client, obj):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_no_tile_source_no_map(admin_client, places, settings):
    settings.MAP_TILE_URL = ""
    for obj in places:
        html = change_page(admin_client, obj)
        assert "place-picker" not in html and "leaflet" not in html
        assert 'type="number" name="latitude"' in html
        assert 'type="number" name="longitude"' in html
        assert "data-place=" not in html


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_tile_source_adds_the_map_beside_the_fields(admin_client, places, settings, language):
    settings.MAP_TILE_URL = TILES
    settings.MAP_TILE_ATTRIBUTION = "© Tiles & co"
    admin_client.cookies["django_language"] = language
    for obj in places:
        html = change_page(admin_client, obj)
        assert html.count('class="place-picker"') == 1
        assert f'data-tile-url="{TILES}"' in html
        assert 'data-tile-attribution="© Tiles &amp; co"' in html
        assert 'src="/static/vendor/leaflet/leaflet.js"' in html
        assert 'src="/static/js/admin-place-picker.js"' in html
        assert 'href="/static/vendor/leaflet/leaflet.css"' in html
        # Still number inputs, with their step, now named for the script.
        for part in ("latitude", "longitude"):
            assert f'type="number" name="{part}"' in html
            assert f'data-place="{part}"' in html
        assert 'step="0.000001"' in html
    help_text = "Щёлкните по карте" if language == "ru" else "Click the map to fill in"
    assert help_text in html
    # The park's place is in the fields the script reads to draw its marker.
    park = change_page(admin_client, places[0])
    assert 'value="56.484600"' in park and 'value="84.947600"' in park


def test_the_admin_policy_names_no_tile_host_without_a_source(admin_client, places, settings):
    settings.MAP_TILE_URL = ""
    opts = Park._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[places[0].pk])
    policy = admin_client.get(url)["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert "tiles" not in img_src and "http" not in img_src.replace("'self'", "")


@pytest.mark.parametrize("model", [Park, Stakeholder, Event])
def test_the_fields_keep_their_ranges_with_the_map(model, superuser, settings):
    """The admin's own fields (its formfield_for_dbfield) with the map: the model's ranges and
    "both or neither" still refuse bad input, and a good place saves."""
    settings.MAP_TILE_URL = TILES
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = admin.site._registry[model]
    form_class = modelform_factory(
        model,
        fields=["latitude", "longitude"],
        formfield_callback=partial(model_admin.formfield_for_dbfield, request=request),
    )
    assert isinstance(form_class.base_fields["latitude"].widget, PlaceInput)
    obj = getattr(factories, model._meta.model_name)()
    for data, field in [
        ({"latitude": "91", "longitude": "10"}, "latitude"),
        ({"latitude": "-90.5", "longitude": "10"}, "latitude"),
        ({"latitude": "10", "longitude": "180.01"}, "longitude"),
        ({"latitude": "10", "longitude": "east"}, "longitude"),
        ({"latitude": "56.5", "longitude": ""}, "longitude"),
    ]:
        form = form_class(data, instance=obj)
        assert not form.is_valid() and field in form.errors, data
    form = form_class({"latitude": "56.5", "longitude": "84.95"}, instance=obj)
    assert form.is_valid(), form.errors
    form.save()
    obj.refresh_from_db()
    assert (obj.latitude, obj.longitude) == (Decimal("56.5"), Decimal("84.95"))


def policy_img_src(tile_url):
    """The img-src the settings build from DJANGO_MAP_TILE_URL (read once, at start-up)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "inotomsk.settings",
            "DJANGO_DEBUG": "1",
            "DJANGO_MAP_TILE_URL": tile_url,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_policy_allows_the_tile_host_only_when_configured():
    assert policy_img_src("") == ["'self'"]
    assert policy_img_src(TILES) == ["'self'", "https://tiles.example"]
