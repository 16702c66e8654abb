from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")
    # What the editorial roles cover (cms/roles.py).
    editorial_models = ["event"]
    publishable_models = ["event"]
