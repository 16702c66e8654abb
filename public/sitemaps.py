"""sitemap.xml: every published object in both languages, each URL with its alternates
(``xhtml:link`` for English, Russian and ``x-default``) and its last modification."""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.urls import reverse

from clusters.models import Cluster
from events.models import Event
from news.models import Article
from portal.models import Park, Project, Stakeholder
from programme.models import Page

from .caching import versioned
from .listing.pages import MatchingKeys
from .sitepages import SECTIONS, current_site_pages


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(BilingualSitemap):
    changefreq = "daily"

    pages = [
        "public:home",
        "public:about",
        "news:article-list",
        "events:event-list",
        "public:project-list",
        "clusters:cluster-list",
        "public:stakeholder-list",
        "public:park-list",
        "programme:roadmap",
        "programme:document-list",
        "public:statistics",
        "public:open-data",
        "contact:contact",
    ]

    def items(self):
        # The list page of a section with nothing published is left out, as in the menus.
        shown = current_site_pages().sections
        hidden = {s.list_url_name for s in SECTIONS if not shown.get(s.name, True)}
        return [name for name in self.pages if name not in hidden]

    def location(self, item):
        return reverse(item)


class PublishedSitemap(BilingualSitemap):
    """Published objects of one model; a page holds ``limit`` objects, each in every language."""

    model = None
    limit = 5000

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at

    # The index needs each section's latest change and number of pages. Django finds the
    # first by reading every row; one aggregate gives both, kept for the content version, so
    # a section costs the index one query.

    def section_stats(self):
        label = self.model._meta.label
        return versioned(
            "sitemap-stats",
            [label],
            lambda: self.model.objects.published().aggregate(
                latest=Max("updated_at"), count=Count("pk")
            ),
        )

    def get_latest_lastmod(self):
        return self.section_stats()["latest"]

    @property
    def paginator(self):
        entries = SitemapEntries(
            self.items,
            name=f"sitemap|{self.model._meta.label}",
            count=lambda: self.section_stats()["count"],
            sitemap=self,
        )
        return Paginator(entries, self.limit)


class SitemapEntries(MatchingKeys):
    """A section's objects, counted and paged by object (keys kept for the content version);
    a slice gives the (object, language) pairs a bilingual sitemap lists (Django would build
    every pair of every object first)."""

    def __init__(self, *args, sitemap, **kwargs):
        super().__init__(*args, **kwargs)
        self.sitemap = sitemap

    def __getitem__(self, index):
        objects = self.rows().filter(pk__in=super().__getitem__(index))
        return [(obj, code) for obj in objects for code in self.sitemap.get_languages_for_item(obj)]


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


class SitePageSitemap(PublishedSitemap):
    model = Page


class EventSitemap(PublishedSitemap):
    model = Event


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "news": ArticleSitemap,
    "projects": ProjectSitemap,
    "clusters": ClusterSitemap,
    "stakeholders": StakeholderSitemap,
    "parks": ParkSitemap,
    "site-pages": SitePageSitemap,
    "events": EventSitemap,
}
