from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.nouns import FEMININE, Noun


class SubscriptionsConfig(AppConfig):
    """E-mail subscriptions: double opt-in sign-ups and digests of what was published."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "subscriptions"
    verbose_name = _("E-mail subscriptions")
    # Its name as Russian declines it in the admin (cms/nouns.py).
    admin_nouns = {"subscription": Noun(FEMININE, "subscription", "subscriptions")}
