"""The kept facet counts of /projects/ (``portal.kept_counts``): the projects' table of counts
and its triggers. Lists read it through ``public.listing.kept``.

``ProjectFacetCount`` holds, for the published projects, how many have option B of one facet
(a cluster, direction, park, stakeholder or status) among those with option A of another.
"""

from portal.kept_counts import KeptCounts, Value

# The code of each status in the table (the first is 1), in the order they were first counted:
# a status the model gains is added at the end, with a migration that counts again.
STATUSES = ("planned", "in-progress", "completed")

PROJECTS = KeptCounts(
    rows="portal_project",
    row="project",
    table="clusters_projectfacetcount",
    model="clusters.ProjectFacetCount",
    counted=lambda row: f"{row}.is_published" if row else "is_published",
    state="is_published",
    read="is_published, direction_id, status",
    # Facet codes in the table; the filter names of /projects/.
    facets={"cluster": 1, "direction": 2, "park": 3, "stakeholder": 4, "status": 5},
    links={
        "cluster": ("clusters_cluster_projects", "cluster_id"),
        "park": ("portal_project_parks", "park_id"),
        "stakeholder": ("portal_projectstakeholder", "stakeholder_id"),
    },
    values={
        "direction": Value(lambda row: f"{row}.direction_id", nullable=True),
        "status": Value.of_choices("status", STATUSES),
    },
    add_function="portal_project_facet_counts_add",
    pause_setting="inotomsk.project_counts_paused",
)
