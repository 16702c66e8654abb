"""Projects and the part each stakeholder takes in them."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.richtext import RICHTEXT_HELP

from .base import ImageMixin, Publishable
from .directory import Direction, Park, Stakeholder


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
        return reverse("public:project-detail", kwargs={"slug": self.slug})

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
