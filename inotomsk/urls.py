"""Root URLs: the admin, the public site (public.urls) in English at the root and in Russian
under /ru/, and, for local runs, uploaded media."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from public import accessible
from public.media import media_file
from public.metrics import metrics
from public.pages import choose_language, healthz, robots_txt
from public.sitemaps import SITEMAPS

# The CMS names the programme, not the framework ("Django administration").
admin.site.site_header = _("INO Tomsk: content management")
admin.site.site_title = _("INO Tomsk")
admin.site.index_title = _("Content of the portal")

urlpatterns = [
    # The workflow's content-health page and preview-link buttons (workflow/admin_urls.py).
    path("admin/review/", include("workflow.admin_urls")),
    path("admin/", admin.site.urls),
    # Outside the language prefix: one each for the whole site.
    path("language/<str:code>/", choose_language, name="choose-language"),
    path("accessible/", accessible.choose, name="accessible-version"),
    path("robots.txt", robots_txt, name="robots"),
    # One sitemap lists both languages, each URL with its alternates.
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
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),  # operators only (public/metrics.py)
    # The read-only API: one for both languages, which it takes from ?lang= (api/urls.py).
    path("api/v1/", include("api.urls")),
    # English keeps every URL it had; Russian is the same site under /ru/.
    # Signed preview links of drafts, for reviewers without an account (workflow/preview.py).
    *i18n_patterns(
        path("preview/", include("workflow.urls")),
        path("subscribe/", include("subscriptions.urls")),
        path("", include("public.urls")),
        prefix_default_language=False,
    ),
]

handler400 = "public.pages.bad_request"
handler404 = "public.pages.page_not_found"
handler500 = "public.pages.server_error"

# Uploaded media: a signed link on object storage, the file itself for local runs
# (DJANGO_SERVE_MEDIA); otherwise the front server serves /media/ (public/media.py).
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<name>.+)$", media_file, name="media"),
]
