from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Roadmap, pages and documents")
    # What the editorial roles cover (cms/roles.py).
    editorial_models = ["roadmapaction", "page", "document"]
    publishable_models = ["roadmapaction", "page", "document"]
