"""A place on the map: latitude and longitude in degrees (WGS 84), both or neither.

Parks, stakeholders and events take their fields, constraints and check from here, so that the
three agree: ranges −90..90 and −180..180, checked by the form and by the database, and a place
is either whole or absent (the seeds state none: nothing is geocoded or guessed).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

COORDINATES_HELP = _(
    "Decimal degrees (WGS 84), as a map shows them, e.g. 56.4846 and 84.9476 for Tomsk. "
    "Fill both or neither."
)


def latitude_field():
    return models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=COORDINATES_HELP,
    )


def longitude_field():
    return models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=COORDINATES_HELP,
    )


def both_or_neither(prefix):
    """The database's side of "both or neither" (the ranges have their own constraints)."""
    return models.CheckConstraint(
        condition=Q(latitude__isnull=True, longitude__isnull=True)
        | Q(latitude__isnull=False, longitude__isnull=False),
        name=f"{prefix}_place_whole",
        violation_error_message=_("Give both the latitude and the longitude, or neither."),
    )


def on_map_index(prefix):
    """The published rows with a place: the map and the menus' probe of its section read them
    without scanning every row (at ten thousand stakeholders without places, 5 ms a page)."""
    return models.Index(
        fields=["id"],
        condition=Q(is_published=True, latitude__isnull=False, longitude__isnull=False),
        name=f"{prefix}_on_map",
    )


def range_constraints(prefix):
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
            violation_error_message=_("Latitude must be between -90 and 90."),
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
            violation_error_message=_("Longitude must be between -180 and 180."),
        ),
    ]


def check_place(obj):
    """The form's side of "both or neither": the missing half is named."""
    has_lat, has_lon = obj.latitude is not None, obj.longitude is not None
    if has_lat and not has_lon:
        raise ValidationError({"longitude": _("Give the longitude too, or clear the latitude.")})
    if has_lon and not has_lat:
        raise ValidationError({"latitude": _("Give the latitude too, or clear the longitude.")})


def has_place(obj):
    return obj.latitude is not None and obj.longitude is not None
