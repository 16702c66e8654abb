"""The programme's own material: its roadmap's actions, the pages staff write (contacts,
privacy, accessibility statement…) and its documents (concept, reports, presentations)."""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.models import Cluster
from cms.richtext import RICHTEXT_HELP
from cms.uploads import SafeFileField
from portal.models import Direction, Project, Publishable, Stakeholder

from . import files
from .managers import PageQuerySet


class RoadmapAction(Publishable):
    """One of the actions of the programme's roadmap."""

    class Status(models.TextChoices):
        # Where no source states how an action stands, it says so rather than guessing.
        NOT_STATED = "not-stated", _("Not stated")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in-progress", _("In progress")
        DONE = "done", _("Done")

    number = models.PositiveIntegerField(
        _("number"),
        unique=True,
        validators=[MinValueValidator(1)],
        help_text=_("The action's number in the roadmap."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=RICHTEXT_HELP)
    direction = models.ForeignKey(
        Direction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_actions",
        verbose_name=_("direction"),
    )
    stakeholders = models.ManyToManyField(
        Stakeholder,
        blank=True,
        related_name="roadmap_actions",
        verbose_name=_("responsible stakeholders"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_STATED,
        db_index=True,
    )
    progress_note = models.TextField(
        _("progress note"), blank=True, help_text=_("How the action stands, and since when.")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("roadmap action")
        verbose_name_plural = _("roadmap actions")
        permissions = [("publish_roadmapaction", _("Can publish and unpublish roadmap actions"))]
        indexes = [models.Index(fields=["is_published", "number"], name="roadmap_pub_number")]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="roadmap_number_positive",
                violation_error_message=_("The number must be 1 or more."),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("programme:roadmap") + f"#action-{self.number}"


class Page(Publishable):
    """A page staff write: contacts, the programme office, privacy, terms, accessibility."""

    class Placement(models.TextChoices):
        MENU = "menu", _("Main menu")
        FOOTER = "footer", _("Footer")
        OWNER = "owner", _("Footer, as the programme's owner")
        NONE = "none", _("Neither (linked from elsewhere)")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    body = models.TextField(_("body"), blank=True, help_text=RICHTEXT_HELP)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first in the menu and footer.")
    )
    placement = models.CharField(
        _("placement"),
        max_length=10,
        choices=Placement.choices,
        default=Placement.FOOTER,
        help_text=_(
            "Where the site links to this page. “Footer, as the programme's owner”: the title "
            "names who runs the programme and is shown in every page's footer (one page only)."
        ),
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        permissions = [("publish_page", _("Can publish and unpublish pages"))]
        indexes = [
            models.Index(fields=["is_published", "placement", "order"], name="page_pub_place")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["placement"],
                condition=Q(placement="owner"),
                name="page_one_owner",
                violation_error_message=_("Only one page can name the programme's owner."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programme:page", kwargs={"slug": self.slug})


def document_path(instance, filename):
    """A random name with the extension of the detected format: never the uploader's name."""
    year = timezone.now().year
    return f"documents/{year}/{uuid.uuid4().hex}.{instance.file_format or 'bin'}"


class Document(Publishable):
    """A file of the programme: its concept, roadmap, reports and presentations."""

    class Kind(models.TextChoices):
        NOT_STATED = "not-stated", _("Not stated")
        CONCEPT = "concept", _("Concept")
        ROADMAP = "roadmap", _("Roadmap")
        REPORT = "report", _("Report")
        PRESENTATION = "presentation", _("Presentation")

    class Language(models.TextChoices):
        EN = "en", _("English")
        RU = "ru", _("Russian")
        OTHER = "other", _("Other or several")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("Names the file when downloaded.")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    # No default: which language a file is in is for staff to say, never guessed.
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    kind = models.CharField(
        pgettext_lazy("document", "kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.NOT_STATED,
        db_index=True,
    )
    file = SafeFileField(  # stored whole or not at all, even on a full disk
        _("file"),
        upload_to=document_path,
        max_length=200,
        help_text=_("PDF, DOCX, XLSX, ODT or ODS. Its type is checked from its content."),
    )
    file_format = models.CharField(
        _("format"), max_length=10, choices=files.FORMAT_CHOICES, editable=False
    )
    file_size = models.PositiveBigIntegerField(_("size, bytes"), default=0, editable=False)
    clusters = models.ManyToManyField(
        Cluster, blank=True, related_name="documents", verbose_name=_("clusters")
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="documents", verbose_name=_("projects")
    )

    class Meta:
        ordering = [models.F("date").desc(nulls_last=True), "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [("publish_document", _("Can publish and unpublish documents"))]
        indexes = [models.Index(fields=["is_published", "kind"], name="document_pub_kind")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programme:document-download", kwargs={"slug": self.slug})

    @property
    def format(self):
        return files.FORMATS.get(self.file_format)

    @property
    def download_name(self):
        return f"{self.slug}.{self.file_format}"

    def _new_upload(self):
        return bool(self.file) and not getattr(self.file, "_committed", True)

    def clean(self):
        super().clean()
        if self._new_upload():
            try:
                self.file_format = files.detect(self.file.file)
            except ValidationError as error:
                raise ValidationError({"file": error}) from None
            self.file_size = self.file.size

    def save(self, *args, **kwargs):
        if self._new_upload() and not self.file_format:
            # Saved without a form (a shell, a script): the same check.
            self.file_format = files.detect(self.file.file)
            self.file_size = self.file.size
        super().save(*args, **kwargs)
