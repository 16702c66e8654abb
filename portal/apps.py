from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
