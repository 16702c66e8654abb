"""Root URLs. The public site composes all three apps, so its pages live in this package.

URL names are namespaced by the app whose model a page shows ("news:article-detail").
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.static import serve

from . import views
from .feeds import AtomArticlesFeed, LatestArticlesFeed
from .sitemaps import SITEMAPS

portal_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("stakeholders/", views.StakeholderListView.as_view(), name="stakeholder-list"),
    path(
        "stakeholders/<slug:slug>/",
        views.StakeholderDetailView.as_view(),
        name="stakeholder-detail",
    ),
    path("parks/", views.ParkListView.as_view(), name="park-list"),
    path("parks/<slug:slug>/", views.ParkDetailView.as_view(), name="park-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
]

cluster_patterns = [
    path("", views.ClusterListView.as_view(), name="cluster-list"),
    path("<slug:slug>/", views.ClusterDetailView.as_view(), name="cluster-detail"),
]

news_patterns = [
    path("", views.ArticleListView.as_view(), name="article-list"),
    path("feed/rss/", LatestArticlesFeed(), name="feed-rss"),
    path("feed/atom/", AtomArticlesFeed(), name="feed-atom"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("news/", include((news_patterns, "news"))),
    path("clusters/", include((cluster_patterns, "clusters"))),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path("", include((portal_patterns, "portal"))),
]

handler400 = "inotomsk.views.bad_request"
handler404 = "inotomsk.views.page_not_found"
handler500 = "inotomsk.views.server_error"

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
