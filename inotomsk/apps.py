from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The public site: pages composing the portal, clusters and news apps."""

    name = "inotomsk"
    verbose_name = _("Public site")

    def ready(self):
        from .cache import connect_signals

        connect_signals()
