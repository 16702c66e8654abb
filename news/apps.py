from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.nouns import FEMININE, Noun


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")
    # What the editorial roles cover (cms/roles.py).
    editorial_models = ["article"]
    publishable_models = ["article"]
    # Their names as Russian declines them in the admin (cms/nouns.py).
    admin_nouns = {"article": Noun(FEMININE, "article", "articles")}

    def ready(self):
        from . import checks  # noqa: F401  (registers the database check of the triggers)
