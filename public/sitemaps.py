"""sitemap.xml: every published object, with its last modification."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from clusters.models import Cluster
from news.models import Article
from portal.models import Park, Project, Stakeholder

from .caching import versioned
from .pagination import ContentPaginator


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

    # The index needs each section's latest change and number of pages. Django finds the
    # first by reading every row; one aggregate does, and both are kept for the content version.

    def get_latest_lastmod(self):
        label = self.model._meta.label
        return versioned(
            "sitemap-lastmod",
            [label],
            lambda: self.model.objects.published().aggregate(latest=Max("updated_at"))["latest"],
        )

    @property
    def paginator(self):
        return SitemapPaginator(self._items, self.limit, name=f"sitemap|{self.model._meta.label}")


class SitemapPaginator(ContentPaginator):
    """Pages of rows: a sitemap section lists the objects themselves, not their keys."""

    def page(self, number):
        page = super().page(number)
        page.object_list = self.object_list.filter(pk__in=page.object_list)
        return page


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
