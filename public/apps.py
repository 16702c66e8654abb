import mimetypes

from django.apps import AppConfig
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .caching import connect_signals


class PublicConfig(AppConfig):
    """The public site: pages composing the portal, clusters and news apps."""

    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        connect_signals()
        # The feeds' XSLT as XML wherever Django serves static files itself (runserver, tests),
        # whatever the system's MIME table says (WhiteNoise: WHITENOISE_MIMETYPES).
        mimetypes.add_type("application/xslt+xml", ".xsl")
        # The admin home lists the sections the public site hides (cms/site.py).
        if hasattr(admin.site, "add_home_context"):
            admin.site.add_home_context(hidden_sections_context)


def hidden_sections_context(request):
    """The sections the public site hides, for the admin home (cms/templates/admin/index.html)."""
    # Here: sitepages imports models, and this module loads before the app registry is ready.
    from .sitepages import hidden_sections

    return {"hidden_sections": hidden_sections(request.user)}
