"""The six innovation territorial clusters and their members."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.richtext import RICHTEXT_HELP
from portal.models import (
    Direction,
    FacetCount,
    ImageMixin,
    Park,
    Project,
    Publishable,
    Stakeholder,
)


class Cluster(Publishable, ImageMixin):
    """An innovation territorial cluster of INO Tomsk.

    The cluster owns its links to projects and parks, so ``project.clusters`` and
    ``park.clusters`` are reverse relations and the portal app never imports this one.
    """

    # What the word search of the public pages looks in (see portal.search).
    text_search_fields = ("name", "summary", "description")

    name = models.CharField(_("name"), max_length=250, unique=True)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=RICHTEXT_HELP)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    directions = models.ManyToManyField(
        Direction, blank=True, related_name="clusters", verbose_name=_("directions")
    )
    members = models.ManyToManyField(
        Stakeholder,
        through="ClusterMembership",
        blank=True,
        related_name="clusters",
        verbose_name=_("members"),
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="clusters", verbose_name=_("projects")
    )
    parks = models.ManyToManyField(
        Park, blank=True, related_name="clusters", verbose_name=_("parks")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        permissions = [("publish_cluster", _("Can publish and unpublish clusters"))]
        indexes = [models.Index(fields=["is_published", "order"], name="cluster_pub_order")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clusters:cluster-detail", kwargs={"slug": self.slug})


class ClusterMembership(models.Model):
    """A stakeholder's membership of a cluster, with its role."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        ANCHOR = "anchor", _("Anchor member")
        MEMBER = "member", _("Member")
        PARTNER = "partner", _("Partner")

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cluster")
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="cluster_memberships",
        verbose_name=_("stakeholder"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["cluster", "role", "stakeholder__name"]
        verbose_name = _("cluster member")
        verbose_name_plural = _("cluster members")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "stakeholder"], name="cluster_membership_unique"
            )
        ]

    def __str__(self):
        return f"{self.stakeholder} — {self.get_role_display()} — {self.cluster}"


class ProjectFacetCount(FacetCount):
    """How many published projects with option A of one facet have option B of another
    (clusters.project_counts): the facet counts of /projects/ unfiltered and with one filter.
    Kept here, above the directory, where every facet of a project (its clusters) is known."""

    class Meta(FacetCount.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["facet_a", "option_a", "facet_b", "option_b"], name="project_facet_pair"
            )
        ]
        # The most frequent options of a large facet, read in order of their counts.
        indexes = [
            models.Index(
                "facet_a", "option_a", "facet_b", models.F("n").desc(), name="project_facet_top"
            )
        ]
