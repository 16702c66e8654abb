from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")
    # What the editorial roles cover (cms/roles.py).
    editorial_models = ["article"]
    publishable_models = ["article"]

    def ready(self):
        from . import checks  # noqa: F401  (registers the database check of the triggers)
