"""Django's admin app with the portal's admin site (cms/site.py) as ``admin.site``.

Installed in place of ``django.contrib.admin``, so every app's ``@admin.register`` uses it.
"""

from django.contrib.admin.apps import AdminConfig


class EditorAdminConfig(AdminConfig):
    default_site = "cms.site.EditorAdminSite"
