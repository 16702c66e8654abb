"""The programme directory: directions, key figures, stakeholders, parks and projects."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.richtext import RICHTEXT_HELP

from . import coordinates
from .images import RenditionImageField
from .managers import PublishableQuerySet


class DefaultLanguageColumns(models.Model):
    """Saved in the default language: the untranslated column of each text kept in both
    languages (``name`` beside ``name_en`` and ``name_ru``, portal/translation.py) then holds
    the English text, or the Russian where there is none, whoever saves. The list orderings,
    their indexes and the unique names read that column."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save(*args, **kwargs)


class Publishable(DefaultLanguageColumns):
    """An entry that editors may hide from the public as a draft."""

    is_published = models.BooleanField(
        _("published"),
        default=True,
        db_index=True,
        help_text=_("Untick to hide this entry from the public site."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True


class ImageMixin(models.Model):
    """An optional picture with the alternative text that must come with it."""

    image = RenditionImageField(
        _("image"),
        upload_to="images/%Y/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text=_("JPEG, PNG or WebP, at most 10 MB and 40 megapixels."),
    )
    image_width = models.PositiveIntegerField(editable=False, null=True)
    image_height = models.PositiveIntegerField(editable=False, null=True)
    image_alt = models.CharField(
        _("image alt text"),
        max_length=250,
        blank=True,
        help_text=_("Describes the image for people who cannot see it. Required with an image."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Describe the image: alt text is required.")})


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
        return reverse("portal:about") + f"#direction-{self.slug}"


def validate_source_url(value):
    """An address on the web (http or https) or on this portal (a path from its root)."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


class KeyFact(DefaultLanguageColumns):
    """A numbered item of "INO Tomsk in figures" (the first states the goal), as an indicator.

    ``order``, ``figure`` and ``text`` keep the item word for word; the rest says what a
    statistic needs, each field empty where the item's own wording does not give it: a short
    label, the value and its unit, the kind, the target year or the date it is stated as of,
    the source, and what the directory can count beside it (``live_count``, counted by
    ``public.indicators``).
    """

    class Kind(models.TextChoices):
        TARGET = "target", pgettext_lazy("key figure kind", "Target")
        FACT = "fact", _("Stated fact")
        COUNT = "count", _("Count")

    class LiveCount(models.TextChoices):
        """What the directory can count for comparison (public/indicators.py counts it)."""

        PROJECTS = "projects", _("Published projects")
        CLUSTERS = "clusters", _("Published clusters")
        DIRECTIONS = "directions", _("Strategic directions")
        PARK_TYPES = "park-types", _("Park types")
        FEDERAL_MINISTRIES = "federal-ministries", _("Federal ministries among the stakeholders")
        TOMSK_UNIVERSITIES = "tomsk-universities", _("Universities in Tomsk among the stakeholders")
        ROADMAP_ACTIONS = "roadmap-actions", _("Published roadmap actions")

    order = models.PositiveSmallIntegerField(_("number"), unique=True)
    figure = models.CharField(
        _("figure"), max_length=100, help_text=_('The highlight, e.g. "RUB 250 bln".')
    )
    text = models.TextField(_("text"), help_text=_("The item's full wording."))
    label = models.CharField(
        _("short label"),
        max_length=120,
        blank=True,
        help_text=_('What the value measures, in a few words, e.g. "investment gap".'),
    )
    value = models.DecimalField(
        _("value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_('The number as the wording states it ("RUB 250 bln": 250). Empty: none.'),
    )
    value_is_minimum = models.BooleanField(
        _("“over” the value"),
        default=False,
        help_text=_('Tick where the wording says "over" or "more than" the value.'),
    )
    unit = models.CharField(
        _("unit"),
        max_length=60,
        blank=True,
        help_text=_('With its scale, as the wording gives it, e.g. "RUB bln", "%", "thousand".'),
    )
    kind = models.CharField(
        pgettext_lazy("key figure", "kind"),
        max_length=10,
        choices=Kind.choices,
        blank=True,
        help_text=_(
            "A target to reach, a stated fact (an amount or a share), or a count of things. "
            "Empty: not stated."
        ),
    )
    target_year = models.PositiveSmallIntegerField(
        _("target year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("For a target: the year the wording gives. Empty: not stated."),
    )
    as_of = models.DateField(
        _("as of"),
        null=True,
        blank=True,
        help_text=_("The date the figure was stated for. Empty: not stated."),
    )
    source_title = models.CharField(
        _("source"),
        max_length=250,
        blank=True,
        help_text=_("Where the figure comes from: a document, an article or a site."),
    )
    source_url = models.CharField(
        _("source address"),
        max_length=500,
        blank=True,
        validators=[validate_source_url],
        help_text=_(
            "Optional: https://… or a page of this portal (an article, a document), e.g. "
            "/news/<slug>/."
        ),
    )
    live_count = models.CharField(
        _("count in the directory"),
        max_length=30,
        choices=LiveCount.choices,
        blank=True,
        help_text=_("What the directory can count to show beside the stated figure."),
    )

    class Meta:
        ordering = ["order"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_year__isnull=True) | Q(kind="target"),
                name="keyfact_target_year_only_for_targets",
                violation_error_message=_("Only a target has a target year."),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.figure}"

    def get_absolute_url(self):
        return reverse("portal:about") + f"#figure-{self.order}"


class KeyFactPart(DefaultLanguageColumns):
    """A further figure stated in the same item ("6 Tomsk universities" in the item that opens
    with "12 federal ministries"); the item's kind, year and source apply to it too."""

    key_fact = models.ForeignKey(
        KeyFact, on_delete=models.CASCADE, related_name="parts", verbose_name=_("key figure")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("short label"), max_length=120)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    value_is_minimum = models.BooleanField(_("“over” the value"), default=False)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    live_count = models.CharField(
        _("count in the directory"),
        max_length=30,
        choices=KeyFact.LiveCount.choices,
        blank=True,
    )

    class Meta:
        ordering = ["key_fact", "order", "pk"]
        verbose_name = _("further figure")
        verbose_name_plural = _("further figures")

    def __str__(self):
        return f"{self.value.normalize():f} {self.label}"


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
        indexes = [models.Index(fields=["is_published", "name"], name="stakeholder_pub_name")]
        constraints = [
            *coordinates.range_constraints("stakeholder"),
            coordinates.both_or_neither("stakeholder"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:stakeholder-detail", kwargs={"slug": self.slug})

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
        return reverse("portal:park-list") + f"?type={self.slug}"


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
        return reverse("portal:park-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        coordinates.check_place(self)


class Project(Publishable, ImageMixin):
    """An industrial, research, educational, social or infrastructure project."""

    # What the word search of the public pages looks in (see portal.search).
    text_search_fields = ("name", "summary", "description")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in-progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=RICHTEXT_HELP)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        db_index=True,
        help_text=_("Empty where the sources do not say."),
    )
    direction = models.ForeignKey(
        Direction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("direction"),
    )
    parks = models.ManyToManyField(
        Park, blank=True, related_name="projects", verbose_name=_("parks")
    )
    stakeholders = models.ManyToManyField(
        Stakeholder,
        through="ProjectStakeholder",
        blank=True,
        related_name="projects",
        verbose_name=_("stakeholders"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget, RUB"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    jobs_created = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Show this project on the home page.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        permissions = [("publish_project", _("Can publish and unpublish projects"))]
        indexes = [
            models.Index(fields=["is_published", "name"], name="project_pub_name"),
            models.Index(fields=["is_published", "is_featured"], name="project_pub_featured"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="project_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:project-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class ProjectStakeholder(models.Model):
    """A stakeholder's part in a project."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")
        INVESTOR = "investor", _("Investor")
        CUSTOMER = "customer", _("Customer")
        PARTICIPANT = "participant", _("Participant")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="roles", verbose_name=_("project")
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="project_roles",
        verbose_name=_("stakeholder"),
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text=_("Empty where the sources do not say."),
    )

    class Meta:
        ordering = ["project", "role", "stakeholder__name"]
        verbose_name = _("project stakeholder")
        verbose_name_plural = _("project stakeholders")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "stakeholder"], name="project_stakeholder_unique"
            )
        ]

    def __str__(self):
        if not self.role:
            return f"{self.stakeholder} — {self.project}"
        return f"{self.stakeholder} — {self.get_role_display()} — {self.project}"


class LoginThrottle(models.Model):
    """Failed admin log-ins counted under a hashed key (portal/security.py).

    In the database rather than the cache: every process shares the counters, they survive
    restarts, and a row lock makes reserving an attempt atomic.
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    # A name-and-address row's address key: an address keeps a bounded number of such rows.
    address_key = models.CharField(_("address key"), max_length=64, blank=True, db_index=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    window_started = models.DateTimeField(_("window started"), db_index=True)
    blocked_until = models.DateTimeField(_("blocked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("log-in throttle")
        verbose_name_plural = _("log-in throttles")

    def __str__(self):
        return f"{self.key[:12]}… {self.failures}"
