"""Names of the choice sets in the OpenAPI schema, where two models use the same field name
(settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])."""

from clusters.models import ClusterMembership
from portal.models import ProjectStakeholder

PROJECT_ROLES = ProjectStakeholder.Role.choices
CLUSTER_ROLES = ClusterMembership.Role.choices
