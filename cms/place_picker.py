"""Coordinates picked on a map in the admin, where a tile source is configured.

With ``MAP_TILE_URL`` set (DJANGO_MAP_TILE_URL), the latitude and longitude inputs of a model
with a place get a small map beside them (the vendored Leaflet, tiles from that source only):
clicking it fills both fields, and a place already entered shows as a marker. Without a tile
source nothing is added: the two number fields stand as they are, and the page asks no other
host for anything. The fields, their ranges and their validation stay the model's either way;
the map only types into them. The CSP lets the tile host into ``img-src`` only when it is
configured (inotomsk/conf/security.py).
"""

from django import forms
from django.conf import settings

# Where the map starts when no place is entered yet: Tomsk.
START = (56.4846, 84.9476)
START_ZOOM = 11


def tiles_configured():
    return bool(settings.MAP_TILE_URL)


class PlaceInput(forms.NumberInput):
    """The number input of one half of a place (``part``: "latitude" or "longitude"); the
    longitude's also draws the map, which fills both halves of the same form."""

    template_name = "cms/widgets/place_picker.html"

    def __init__(self, part, attrs=None):
        super().__init__({**(attrs or {}), "data-place": part})
        self.part = part

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["picker"] = self.part == "longitude" and {
            "tile_url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "start": f"{START[0]},{START[1]}",
            "zoom": START_ZOOM,
        }
        return context

    @property
    def media(self):
        return forms.Media(
            css={"all": ["vendor/leaflet/leaflet.css", "css/admin-place-picker.css"]},
            js=["vendor/leaflet/leaflet.js", "js/admin-place-picker.js"],
        )


class PlacePickerAdmin:
    """Admin mixin of a model with ``latitude`` and ``longitude`` fields: the map beside
    them where tiles are configured (decided per request, as the form is built)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("latitude", "longitude") and tiles_configured():
            kwargs["widget"] = PlaceInput(db_field.name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
