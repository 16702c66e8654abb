"""The programme's key figures ("INO Tomsk in figures") as indicators, and the further figures
stated in the same item."""

from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .base import DefaultLanguageColumns


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
        return reverse("public:about") + f"#figure-{self.order}"


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
