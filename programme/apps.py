from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.nouns import FEMININE, MASCULINE, NEUTER, Noun


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Roadmap, pages and documents")
    # What the editorial roles cover (cms/roles.py).
    editorial_models = ["roadmapaction", "page", "document"]
    publishable_models = ["roadmapaction", "page", "document"]
    # Their names as Russian declines them in the admin (cms/nouns.py).
    admin_nouns = {
        "roadmapaction": Noun(NEUTER, "roadmap action", "roadmap actions"),
        "page": Noun(FEMININE, "page", "pages"),
        "document": Noun(MASCULINE, "document", "documents"),
    }
