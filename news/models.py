"""News articles of the programme."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from cms.richtext import RICHTEXT_HELP
from portal.models import (
    DefaultLanguageColumns,
    Direction,
    FacetCount,
    ImageMixin,
    Park,
    Project,
    Stakeholder,
)
from portal.publishing import PublicModel

from .managers import ArticleQuerySet


class Article(PublicModel, DefaultLanguageColumns, ImageMixin):
    """A news article; the public sees it once it is published and its time has come."""

    # Where the word search looks without PostgreSQL's full-text search (see inotomsk.search).
    text_search_fields = ("title", "lead", "body")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    # The time is read when the rule is (timezone.now looked up then: tests may move it).
    public_rule = {"status": Status.PUBLISHED, "published_at__lte": lambda: timezone.now()}

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=300, unique=True)
    lead = models.TextField(_("lead"), blank=True, help_text=_("A one-paragraph summary."))
    body = models.TextField(_("body"), help_text=RICHTEXT_HELP)
    # Empty until a time is typed or the article is published (save() then sets now), so a
    # draft published days after it was started is not back-dated to its start.
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty to publish at the moment the article is published. A future time "
            "schedules it: it appears by itself then."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(_("source"), max_length=250, blank=True)
    source_url = models.URLField(_("source URL"), blank=True)
    clusters = models.ManyToManyField(
        Cluster, blank=True, related_name="articles", verbose_name=_("clusters")
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="articles", verbose_name=_("projects")
    )
    stakeholders = models.ManyToManyField(
        Stakeholder, blank=True, related_name="articles", verbose_name=_("stakeholders")
    )
    parks = models.ManyToManyField(
        Park, blank=True, related_name="articles", verbose_name=_("parks")
    )
    directions = models.ManyToManyField(
        Direction, blank=True, related_name="articles", verbose_name=_("directions")
    )
    # Kept current by a database trigger on PostgreSQL (see news.search); empty elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)
    # The same for pages in Russian (news.search.page_search_vector); empty elsewhere.
    search_vector_ru = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("publish_article", _("Can publish, schedule and unpublish articles"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="article_published_has_time",
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "-published_at", "-id"], name="article_status_published"
            ),
            models.Index(fields=["-published_at", "-id"], name="article_published"),
            # The sitemap's latest change: read from the newest end, not counted over all rows.
            models.Index(fields=["-updated_at"], name="article_updated"),
        ]

    def __str__(self):
        return self.title

    def time_publication(self):
        """The one rule for the publication time: publishing (by the form, an action or
        code) without a time typed publishes now. Returns whether it set the time."""
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
            return True
        return False

    def clean(self):
        super().clean()
        self.time_publication()  # before the form checks the constraint below

    def save(self, *args, **kwargs):
        if self.time_publication():
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "published_at" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "published_at"]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:article-detail", kwargs={"slug": self.slug})

    @property
    def paragraphs(self):
        """The body split into its paragraphs."""
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


class ArticleFacetCount(FacetCount):
    """How many published articles with option A of one facet have option B of another
    (news.facet_counts): the facet counts of /news/ unfiltered and with one filter."""

    class Meta(FacetCount.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["facet_a", "option_a", "facet_b", "option_b"], name="article_facet_pair"
            )
        ]
        # The most frequent options of a large facet, read in order of their counts.
        indexes = [
            models.Index(
                "facet_a", "option_a", "facet_b", models.F("n").desc(), name="article_facet_top"
            )
        ]


class ScheduledArticleFacet(models.Model):
    """One (facet, option) of an article marked published whose time was ahead when it was
    written, with that time: what the kept counts take off until it comes. Written by triggers
    (news.scheduled_facets), never by the code."""

    article_id = models.BigIntegerField()
    published_at = models.DateTimeField()
    facet = models.PositiveSmallIntegerField()
    option = models.BigIntegerField()

    class Meta:
        indexes = [
            # A list reads the rows whose time is ahead; a filtered one checks each article's A.
            models.Index(
                fields=["published_at", "article_id", "facet", "option"],
                name="scheduled_facet_time",
            ),
            models.Index(fields=["article_id", "facet", "option"], name="scheduled_facet_article"),
        ]

    def __str__(self):
        return f"{self.article_id} {self.facet}:{self.option} at {self.published_at}"
