from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.nouns import MASCULINE, MASCULINE_ANIMATE, NEUTER, Noun


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Programme directory")
    # What the editorial roles cover (cms/roles.py).
    editorial_models = [
        "direction",
        "keyfact",
        "keyfactpart",
        "parktype",
        "stakeholder",
        "park",
        "project",
        "projectstakeholder",
    ]
    publishable_models = ["stakeholder", "park", "project"]
    # A key figure's further figures are parts of it, as a project's stakeholder roles are.
    link_models = ["projectstakeholder", "keyfactpart"]
    # Their names as Russian declines them in the admin (cms/nouns.py).
    admin_nouns = {
        "direction": Noun(NEUTER, "direction", "directions"),
        "keyfact": Noun(MASCULINE, "key figure", "key figures"),
        "parktype": Noun(MASCULINE, "park type", "park types"),
        "stakeholder": Noun(MASCULINE_ANIMATE, "stakeholder", "stakeholders"),
        "park": Noun(MASCULINE, "park", "parks"),
        "project": Noun(MASCULINE, "project", "projects"),
    }
