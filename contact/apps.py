from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.nouns import NEUTER, Noun


class ContactConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "contact"
    verbose_name = _("Contact messages")
    # Their names as Russian declines them in the admin (cms/nouns.py).
    admin_nouns = {"contactmessage": Noun(NEUTER, "contact message", "contact messages")}
