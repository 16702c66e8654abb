import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public site: pages composing the portal, clusters and news apps."""

    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        from .caching import connect_signals

        connect_signals()
        # The feeds' XSLT as XML wherever Django serves static files itself (runserver, tests),
        # whatever the system's MIME table says (WhiteNoise: WHITENOISE_MIMETYPES).
        mimetypes.add_type("application/xslt+xml", ".xsl")
