import logging

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from cms.nouns import MASCULINE, NEUTER, Noun

from .logfilters import PreviewTokenFilter


class WorkflowConfig(AppConfig):
    """Review, notifications, preview links and content health for the content apps."""

    name = "workflow"
    verbose_name = _("Editorial workflow")
    default_auto_field = "django.db.models.BigAutoField"
    # Their names as Russian declines them in the admin (cms/nouns.py).
    admin_nouns = {
        "notification": Noun(NEUTER, "notification", "notifications"),
        "userpreference": Noun(MASCULINE, "notification profile", "notification profiles"),
    }

    def ready(self):
        # Here: models can be imported only once the app registry is ready.
        from .models import Notification, Review
        from .templatetags.workflow import end_dashboards

        # The admin home's kept workflow lists end with any review or notification change.
        for model in (Review, Notification):
            for signal in (post_save, post_delete):
                signal.connect(
                    end_dashboards, sender=model, dispatch_uid=f"workflow-{model.__name__}"
                )

        # A preview link's token never reaches the logs (request lines, 404 warnings).
        for name in ("django.request", "django.server"):
            logging.getLogger(name).addFilter(PreviewTokenFilter())
