"""The workflow's admin pages that are no model's list: the content-health page and the
preview-link buttons of a draft's form (inotomsk/urls.py mounts them under /admin/review/,
behind the admin's log-in, staff check and CSRF protection)."""

from django.contrib import admin
from django.urls import path

from . import admin_views

app_name = "workflow_admin"


def _staff(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("health/", _staff(lambda request: admin_views.health(request, admin.site)), name="health"),
    path("health/check-links/", _staff(admin_views.check_links_now), name="check-links"),
    path(
        "preview/<int:type_id>/<int:object_id>/",
        _staff(admin_views.create_preview_link),
        name="preview-create",
    ),
    path(
        "preview/<int:pk>/revoke/", _staff(admin_views.revoke_preview_link), name="preview-revoke"
    ),
]
