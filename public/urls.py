"""URLs of the public site. Names are namespaced by the app whose model a page shows
("news:article-detail"); the site's own pages and the directory's are the public app's
("public:home", "public:project-detail")."""

from django.urls import include, path

from . import directory, documents, events, news, pages, roadmap, sitepages
from . import map as place_map
from .feeds import AtomArticlesFeed, LatestArticlesFeed
from .opendata.views import OpenDataView
from .search import SearchView
from .statistics import views as statistics

public_patterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("about/", pages.AboutView.as_view(), name="about"),
    path("projects/", directory.ProjectListView.as_view(), name="project-list"),
    path("projects/<slug:slug>/", directory.ProjectDetailView.as_view(), name="project-detail"),
    path("stakeholders/", directory.StakeholderListView.as_view(), name="stakeholder-list"),
    path(
        "stakeholders/<slug:slug>/",
        directory.StakeholderDetailView.as_view(),
        name="stakeholder-detail",
    ),
    path("parks/", directory.ParkListView.as_view(), name="park-list"),
    path("parks/<slug:slug>/", directory.ParkDetailView.as_view(), name="park-detail"),
    path("search/", SearchView.as_view(), name="search"),
    path("map/", place_map.MapView.as_view(), name="map"),
    path("map/data.geojson", place_map.geojson, name="map-data"),
    path("open-data/", OpenDataView.as_view(), name="open-data"),
    path("statistics/", statistics.StatisticsView.as_view(), name="statistics"),
    path(
        "statistics/<slug:chart>.<slug:fmt>",
        statistics.ChartView.as_view(),
        name="statistics-chart",
    ),
]

cluster_patterns = [
    path("", directory.ClusterListView.as_view(), name="cluster-list"),
    path("<slug:slug>/", directory.ClusterDetailView.as_view(), name="cluster-detail"),
]

news_patterns = [
    path("", news.ArticleListView.as_view(), name="article-list"),
    path("feed/rss/", LatestArticlesFeed(), name="feed-rss"),
    path("feed/atom/", AtomArticlesFeed(), name="feed-atom"),
    path("<slug:slug>/", news.ArticleDetailView.as_view(), name="article-detail"),
]

event_patterns = [
    path("", events.EventListView.as_view(), name="event-list"),
    path("calendar.ics", events.events_calendar, name="calendar"),
    path("<slug:slug>/", events.EventDetailView.as_view(), name="event-detail"),
    path("<slug:slug>/calendar.ics", events.event_calendar, name="event-calendar"),
]

programme_patterns = [
    path("roadmap/", roadmap.RoadmapListView.as_view(), name="roadmap"),
    path("documents/", documents.DocumentListView.as_view(), name="document-list"),
    path("documents/<slug:slug>/", documents.download, name="document-download"),
    path("pages/<slug:slug>/", sitepages.PageDetailView.as_view(), name="page"),
]

urlpatterns = [
    path("", include((programme_patterns, "programme"))),
    path("news/", include((news_patterns, "news"))),
    path("events/", include((event_patterns, "events"))),
    path("clusters/", include((cluster_patterns, "clusters"))),
    path("contact/", include("contact.urls")),  # contacts and the feedback form
    path("", include((public_patterns, "public"))),
]
