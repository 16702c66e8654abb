"""Names of the choice sets in the OpenAPI schema, where two models use the same field name
(settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])."""

from clusters.models import ClusterMembership
from portal.models import KeyFact, Project, ProjectStakeholder, Stakeholder
from programme.models import Document, RoadmapAction

PROJECT_ROLES = ProjectStakeholder.Role.choices
CLUSTER_ROLES = ClusterMembership.Role.choices
STAKEHOLDER_KINDS = Stakeholder.Kind.choices
PROJECT_STATUSES = Project.Status.choices
ROADMAP_STATUSES = RoadmapAction.Status.choices
DOCUMENT_KINDS = Document.Kind.choices
KEY_FIGURE_KINDS = KeyFact.Kind.choices
