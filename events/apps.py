from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.nouns import NEUTER, Noun


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")
    # What the editorial roles cover (cms/roles.py).
    editorial_models = ["event"]
    publishable_models = ["event"]
    # Their names as Russian declines them in the admin (cms/nouns.py).
    admin_nouns = {"event": Noun(NEUTER, "event", "events")}
