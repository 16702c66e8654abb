from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    """E-mail subscriptions: double opt-in sign-ups and digests of what was published."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "subscriptions"
    verbose_name = _("E-mail subscriptions")
