from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.nouns import MASCULINE, Noun


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = _("Clusters")
    # What the editorial roles cover (cms/roles.py).
    editorial_models = ["cluster", "clustermembership"]
    publishable_models = ["cluster"]
    link_models = ["clustermembership"]
    # Their names as Russian declines them in the admin (cms/nouns.py).
    admin_nouns = {"cluster": Noun(MASCULINE, "cluster", "clusters")}
