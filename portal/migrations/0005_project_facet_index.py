"""A covering index for the facet counts of /projects/ (PostgreSQL).

The counts by status, direction and cluster read this index alone instead of the wide project
rows. SQLite has no covering indexes, and its tables are small.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS project_pub_facets ON portal_project (is_published, id) "
    "INCLUDE (direction_id, status)"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS project_pub_facets")


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_login_throttle")]

    operations = [migrations.RunPython(forward, backward)]
