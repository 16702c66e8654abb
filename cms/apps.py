from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The admin platform: versions and their comparison, edit conflicts, the editorial roles
    and the editing of texts in both languages. It knows no content model: the content apps
    import it, and name their models for the roles on their AppConfig (cms/roles.py)."""

    name = "cms"
    verbose_name = _("Content management")

    def ready(self):
        from . import addresses  # noqa: F401  (registers the system check cms.W001)
