"""Trigram indexes on the searchable text of projects, stakeholders and parks (PostgreSQL).

The SQL is frozen as this migration first compiled it from ``portal.search.searchable_text``
over the untranslated columns, so that later changes to that code cannot change what this
migration does; clusters are too few to need one.
"""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS portal_project_text_trgm ON portal_project USING gin ((UPPER(REPLACE((COALESCE(\"name\", '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(\"summary\", '') || COALESCE((COALESCE(' ', '') || COALESCE(\"description\", '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS portal_stakeholder_text_trgm ON portal_stakeholder USING gin ((UPPER(REPLACE((COALESCE(\"name\", '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(\"short_name\", '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(\"description\", '') || COALESCE((COALESCE(' ', '') || COALESCE(\"city\", '')), '')), '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS portal_park_text_trgm ON portal_park USING gin ((UPPER(REPLACE((COALESCE(\"name\", '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(\"description\", '') || COALESCE((COALESCE(' ', '') || COALESCE(\"address\", '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
]

DROP = [
    "DROP INDEX IF EXISTS portal_project_text_trgm",
    "DROP INDEX IF EXISTS portal_stakeholder_text_trgm",
    "DROP INDEX IF EXISTS portal_park_text_trgm",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_publish_permission_image_renditions")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
