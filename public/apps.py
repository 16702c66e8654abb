from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public site: pages composing the portal, clusters and news apps."""

    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        from .caching import connect_signals

        connect_signals()
