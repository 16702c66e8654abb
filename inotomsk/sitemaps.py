"""sitemap.xml: every published object, with its last modification."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from clusters.models import Cluster
from news.models import Article
from portal.models import Park, Project, Stakeholder


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "portal:home",
            "portal:about",
            "news:article-list",
            "portal:project-list",
            "clusters:cluster-list",
            "portal:stakeholder-list",
            "portal:park-list",
        ]

    def location(self, item):
        return reverse(item)


class PublishedSitemap(Sitemap):
    """Published objects of one model."""

    model = None
    limit = 5000

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class ArticleSitemap(PublishedSitemap):
    model = Article


class ProjectSitemap(PublishedSitemap):
    model = Project


class ClusterSitemap(PublishedSitemap):
    model = Cluster


class StakeholderSitemap(PublishedSitemap):
    model = Stakeholder


class ParkSitemap(PublishedSitemap):
    model = Park


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "news": ArticleSitemap,
    "projects": ProjectSitemap,
    "clusters": ClusterSitemap,
    "stakeholders": StakeholderSitemap,
    "parks": ParkSitemap,
}
