"""Root URLs: the admin, the public site (public.urls) and, for local runs, uploaded media."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("public.urls")),
]

handler400 = "public.pages.bad_request"
handler404 = "public.pages.page_not_found"
handler500 = "public.pages.server_error"

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
