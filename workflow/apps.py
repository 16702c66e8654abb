from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    """Review, notifications, preview links and content health for the content apps."""

    name = "workflow"
    verbose_name = _("Editorial workflow")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import logging

        from .logfilters import PreviewTokenFilter

        # A preview link's token never reaches the logs (request lines, 404 warnings).
        for name in ("django.request", "django.server"):
            logging.getLogger(name).addFilter(PreviewTokenFilter())
