"""Django's admin app with the portal's admin site (portal/admin_site.py) as ``admin.site``.

Installed in place of ``django.contrib.admin``, so every app's ``@admin.register`` uses it.
"""

from django.contrib.admin.apps import AdminConfig


class EditorAdminConfig(AdminConfig):
    default_site = "portal.admin_site.EditorAdminSite"
