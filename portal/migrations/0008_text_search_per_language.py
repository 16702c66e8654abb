"""Trigram indexes of the directory's searchable text per page language (PostgreSQL): each
text as a page in that language shows it, its own or else the other language's. They replace
the index on the untranslated columns (0003). The SQL is frozen as this migration first
compiled it from ``portal.search.searchable_text``."""

from django.db import migrations

CREATE_EN = [
    "CREATE INDEX IF NOT EXISTS portal_project_text_trgm_en ON portal_project USING gin ((UPPER(REPLACE((COALESCE(COALESCE(COALESCE(NULLIF(\"name_en\", ''), \"name_ru\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(COALESCE(COALESCE(NULLIF(\"summary_en\", ''), \"summary_ru\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE(COALESCE(COALESCE(NULLIF(\"description_en\", ''), \"description_ru\"), ''), '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS portal_stakeholder_text_trgm_en ON portal_stakeholder USING gin ((UPPER(REPLACE((COALESCE(COALESCE(COALESCE(NULLIF(\"name_en\", ''), \"name_ru\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(COALESCE(COALESCE(NULLIF(\"short_name_en\", ''), \"short_name_ru\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(COALESCE(COALESCE(NULLIF(\"description_en\", ''), \"description_ru\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE(COALESCE(COALESCE(NULLIF(\"city_en\", ''), \"city_ru\"), ''), '')), '')), '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS portal_park_text_trgm_en ON portal_park USING gin ((UPPER(REPLACE((COALESCE(COALESCE(COALESCE(NULLIF(\"name_en\", ''), \"name_ru\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(COALESCE(COALESCE(NULLIF(\"description_en\", ''), \"description_ru\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE(COALESCE(COALESCE(NULLIF(\"address_en\", ''), \"address_ru\"), ''), '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
]

CREATE_RU = [
    "CREATE INDEX IF NOT EXISTS portal_project_text_trgm_ru ON portal_project USING gin ((UPPER(REPLACE((COALESCE(COALESCE(COALESCE(NULLIF(\"name_ru\", ''), \"name_en\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(COALESCE(COALESCE(NULLIF(\"summary_ru\", ''), \"summary_en\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE(COALESCE(COALESCE(NULLIF(\"description_ru\", ''), \"description_en\"), ''), '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS portal_stakeholder_text_trgm_ru ON portal_stakeholder USING gin ((UPPER(REPLACE((COALESCE(COALESCE(COALESCE(NULLIF(\"name_ru\", ''), \"name_en\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(COALESCE(COALESCE(NULLIF(\"short_name_ru\", ''), \"short_name_en\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(COALESCE(COALESCE(NULLIF(\"description_ru\", ''), \"description_en\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE(COALESCE(COALESCE(NULLIF(\"city_ru\", ''), \"city_en\"), ''), '')), '')), '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS portal_park_text_trgm_ru ON portal_park USING gin ((UPPER(REPLACE((COALESCE(COALESCE(COALESCE(NULLIF(\"name_ru\", ''), \"name_en\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(COALESCE(COALESCE(NULLIF(\"description_ru\", ''), \"description_en\"), ''), '') || COALESCE((COALESCE(' ', '') || COALESCE(COALESCE(COALESCE(NULLIF(\"address_ru\", ''), \"address_en\"), ''), '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
]

DROP_OLD = [
    "DROP INDEX IF EXISTS portal_project_text_trgm",
    "DROP INDEX IF EXISTS portal_stakeholder_text_trgm",
    "DROP INDEX IF EXISTS portal_park_text_trgm",
]
DROP_NEW = [
    f"DROP INDEX IF EXISTS portal_{model}_text_trgm_{language}"
    for model in ("project", "stakeholder", "park")
    for language in ("en", "ru")
]

CREATE_OLD = [
    "CREATE INDEX IF NOT EXISTS portal_project_text_trgm ON portal_project USING gin ((UPPER(REPLACE((COALESCE(\"name\", '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(\"summary\", '') || COALESCE((COALESCE(' ', '') || COALESCE(\"description\", '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS portal_stakeholder_text_trgm ON portal_stakeholder USING gin ((UPPER(REPLACE((COALESCE(\"name\", '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(\"short_name\", '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(\"description\", '') || COALESCE((COALESCE(' ', '') || COALESCE(\"city\", '')), '')), '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS portal_park_text_trgm ON portal_park USING gin ((UPPER(REPLACE((COALESCE(\"name\", '') || COALESCE((COALESCE(' ', '') || COALESCE((COALESCE(\"description\", '') || COALESCE((COALESCE(' ', '') || COALESCE(\"address\", '')), '')), '')), '')), '\xa0', ' '))) gin_trgm_ops)",
]


def run(*groups):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for statements in groups:
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_texts_in_english")]

    operations = [
        migrations.RunPython(run(DROP_OLD, CREATE_EN, CREATE_RU), run(DROP_NEW, CREATE_OLD))
    ]
