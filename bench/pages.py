"""The public pages the benchmark measures, found in the seeded database.

Read by the in-process measurement, the cache-layer comparison and the comparison of two
commits (``commits.py``, which loads this file into an older tree by its path): it reads
only models and managers that every version of the project has.
"""

import math
from urllib.parse import quote


def pages_to_measure():
    """(label, URL, kind of page for the cold budget or None) for every public page measured."""
    # Imported when called: the models need Django set up, which the caller does first.
    from django.conf import settings

    from clusters.models import Cluster
    from news.models import Article
    from portal.models import Project

    cluster = Cluster.objects.published().order_by("order", "name").first()
    cluster_slug = cluster.slug if cluster else "none"
    project = Project.objects.published().filter(articles__isnull=False).order_by("pk").first()
    article = Article.objects.published().order_by("-published_at", "-id").first()
    rare_word = article.title.rsplit("(", 1)[-1].strip(")") if article else "none"
    last_page = max(1, math.ceil(Article.objects.published().count() / settings.PORTAL_PAGE_SIZE))
    # Page 500 at full scale; the middle page of a smaller trial.
    deep_page = min(500, max(1, last_page // 2))
    return [
        ("home", "/", "home"),
        ("news", "/news/", "list"),
        ("news, cluster filter", f"/news/?cluster={cluster_slug}", "list"),
        ("news, year filter", "/news/?year=2020", "list"),
        ("news, project filter", f"/news/?project={project.slug if project else 'none'}", "list"),
        (f"news, page {deep_page}", f"/news/?page={deep_page}", "list"),
        (f"news, last page ({last_page})", f"/news/?page={last_page}", "list"),
        ("projects", "/projects/", "list"),
        ("projects, status filter", "/projects/?status=in-progress", "list"),
        ("projects, cluster filter", f"/projects/?cluster={cluster_slug}", "list"),
        ("stakeholders", "/stakeholders/", "list"),
        ("stakeholders, kind filter", "/stakeholders/?kind=university", "list"),
        ("clusters", "/clusters/", "list"),
        ("parks", "/parks/", "list"),
        ("search", "/search/?q=innovation", "search"),
        ("news search", "/news/?q=innovation", "search"),
        # A word few articles hold (the number in a demo title): the vector index's case.
        ("news search, rare word", f"/news/?q={rare_word}", "search"),
        # Russian pages search the Russian texts (seed_demo writes some articles in Russian).
        ("search, Russian", f"/ru/search/?q={quote('кластер')}", "search"),
        ("news search, Russian", f"/ru/news/?q={quote('инновации')}", "search"),
        ("news, Russian", "/ru/news/", "list"),
        # The API (api app): a list, filtered lists, one in Russian.
        ("API articles", "/api/v1/articles/", "list"),
        ("API articles, cluster filter", f"/api/v1/articles/?cluster={cluster_slug}", "list"),
        ("API projects, status filter", "/api/v1/projects/?status=in-progress", "list"),
        ("API stakeholders, Russian", "/api/v1/stakeholders/?lang=ru", "list"),
        ("article", article.get_absolute_url() if article else "/news/none/", "article"),
        ("RSS feed", "/news/feed/rss/", None),
        ("sitemap", "/sitemap.xml", None),
    ]


def more_pages():
    """Pages outside the budgets that a kept layer serves: statistics, a chart, a download."""
    return [
        ("statistics", "/statistics/", None),
        ("statistics chart (SVG)", "/statistics/projects-by-cluster.svg", None),
        ("stakeholders download (CSV)", "/stakeholders/?format=csv", None),
        ("open data", "/open-data/", None),
    ]


def selected(pages, wanted):
    """``pages`` whose label contains one of the comma-separated words of ``wanted``."""
    words = [word.strip() for word in wanted.split(",") if word.strip()]
    return [page for page in pages if not words or any(word in page[0] for word in words)]
