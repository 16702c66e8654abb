"""Store each article's search vector, kept current by a trigger and indexed (PostgreSQL).

The GIN index on the expression (0002) gives way to one on the stored column: ranking reads the
stored vector instead of parsing every matching text again. On other databases the column
stays empty and unused.
"""

import django.contrib.postgres.search
from django.db import migrations

from news.search import SOURCE_FIELDS, TRIGGER_NAME, VECTOR_INDEX_NAME, article_search_vector_sql


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("news", "Article")
    schema_editor.execute(f"DROP INDEX IF EXISTS {VECTOR_INDEX_NAME}")
    schema_editor.execute(
        f"CREATE FUNCTION {TRIGGER_NAME}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.search_vector := {article_search_vector_sql(article, schema_editor, 'NEW', bilingual=False)}; "
        "RETURN NEW; END $$"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER_NAME} BEFORE INSERT OR UPDATE OF {', '.join(SOURCE_FIELDS)} "
        f"ON news_article FOR EACH ROW EXECUTE FUNCTION {TRIGGER_NAME}()"
    )
    schema_editor.execute(
        f"UPDATE news_article SET search_vector = {article_search_vector_sql(article, schema_editor, bilingual=False)}"
    )
    schema_editor.execute(
        f"CREATE INDEX {VECTOR_INDEX_NAME} ON news_article USING gin (search_vector)"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("news", "Article")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON news_article")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER_NAME}()")
    schema_editor.execute(f"DROP INDEX IF EXISTS {VECTOR_INDEX_NAME}")
    schema_editor.execute(
        f"CREATE INDEX {VECTOR_INDEX_NAME} ON news_article "
        f"USING gin (({article_search_vector_sql(article, schema_editor, bilingual=False)}))"
    )


class Migration(migrations.Migration):
    dependencies = [("news", "0004_editor_and_publisher_groups")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        # Backward, the trigger goes before the column does.
        migrations.RunPython(forward, backward),
    ]
