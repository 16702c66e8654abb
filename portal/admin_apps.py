"""Django's admin app with the portal's admin site (portal/admin_site.py) as ``admin.site``."""

from django.contrib.admin.apps import AdminConfig


class EditorAdminConfig(AdminConfig):
    default_site = "portal.admin_site.EditorAdminSite"
