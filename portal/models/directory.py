"""The directory's entries: strategic directions, stakeholders, park types and parks."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.richtext import RICHTEXT_HELP

from .. import coordinates
from ..images import RenditionImageField
from .base import DefaultLanguageColumns, ImageMixin, Publishable


class Direction(DefaultLanguageColumns):
    """One of the programme's five strategic directions."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("direction")
        verbose_name_plural = _("directions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:about") + f"#direction-{self.slug}"


class Stakeholder(Publishable):
    """An organisation taking part in the programme."""

    # What the word search of the public pages looks in (see portal.search).
    text_search_fields = ("name", "short_name", "description", "city")

    class Kind(models.TextChoices):
        FEDERAL_MINISTRY = "federal-ministry", _("Federal ministry")
        FEDERAL_AGENCY = "federal-agency", _("Federal agency")
        REGIONAL_AUTHORITY = "regional-authority", _("Regional authority")
        UNIVERSITY = "university", _("University")
        RESEARCH_INSTITUTE = "research-institute", _("Research institute")
        COMPANY = "company", _("Company or corporation")
        FOUNDATION = "foundation", _("Foundation or development institution")
        ASSOCIATION = "association", _("Association")
        INTERNATIONAL = "international", _("International partner")

    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    kind = models.CharField(
        pgettext_lazy("stakeholder", "kind"),
        max_length=30,
        choices=Kind.choices,
        blank=True,
        db_index=True,
        help_text=_("Empty where the sources do not say."),
    )
    description = models.TextField(_("description"), blank=True, help_text=RICHTEXT_HELP)
    website = models.URLField(_("website"), blank=True)
    logo = RenditionImageField(
        _("logo"),
        upload_to="logos/%Y/",
        blank=True,
        width_field="logo_width",
        height_field="logo_height",
        help_text=_("JPEG, PNG or WebP, at most 10 MB and 40 megapixels."),
    )
    logo_width = models.PositiveIntegerField(editable=False, null=True)
    logo_height = models.PositiveIntegerField(editable=False, null=True)
    logo_alt = models.CharField(_("logo alt text"), max_length=250, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    # Its place on the map (portal/coordinates.py): both or neither.
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = coordinates.latitude_field()
    longitude = coordinates.longitude_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        permissions = [("publish_stakeholder", _("Can publish and unpublish stakeholders"))]
        indexes = [
            models.Index(fields=["is_published", "name"], name="stakeholder_pub_name"),
            coordinates.on_map_index("stakeholder"),
        ]
        constraints = [
            *coordinates.range_constraints("stakeholder"),
            coordinates.both_or_neither("stakeholder"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:stakeholder-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.logo and not self.logo_alt.strip():
            raise ValidationError({"logo_alt": _("Describe the logo: alt text is required.")})
        coordinates.check_place(self)


class ParkType(DefaultLanguageColumns):
    """One of the six types of areas developed in the agglomeration."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("park type")
        verbose_name_plural = _("park types")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:park-list") + f"?type={self.slug}"


class Park(Publishable, ImageMixin):
    """A named territory of one park type."""

    # What the word search of the public pages looks in (see portal.search).
    text_search_fields = ("name", "description", "address")

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    park_type = models.ForeignKey(
        ParkType, on_delete=models.PROTECT, related_name="parks", verbose_name=_("type")
    )
    description = models.TextField(_("description"), blank=True, help_text=RICHTEXT_HELP)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    area = models.DecimalField(
        _("area, ha"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        permissions = [("publish_park", _("Can publish and unpublish parks"))]
        indexes = [models.Index(fields=["is_published", "name"], name="park_pub_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="park_latitude_range",
                violation_error_message=_("Latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="park_longitude_range",
                violation_error_message=_("Longitude must be between -180 and 180."),
            ),
            coordinates.both_or_neither("park"),
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(area__gte=0),
                name="park_area_not_negative",
                violation_error_message=_("Area cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:park-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        coordinates.check_place(self)
