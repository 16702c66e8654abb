"""Store each article's search vector, kept current by a trigger and indexed (PostgreSQL).

The GIN index on the expression (0002) gives way to one on the stored column: ranking reads the
stored vector instead of parsing every matching text again. On other databases the column
stays empty and unused.

Frozen: the SQL below is what news/search.py compiled for this migration when it was made (the
migration no longer imports it, so later changes there cannot change it).
"""

import django.contrib.postgres.search
from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS news_article_search_vector",
    """CREATE FUNCTION news_article_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.search_vector := ((setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."title", '\xa0', ' '), '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."lead", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."body", '\xa0', ' '), '')), 'C')); RETURN NEW; END $$""",
    """CREATE TRIGGER news_article_search_vector_update BEFORE INSERT OR UPDATE OF title, lead, body ON news_article FOR EACH ROW EXECUTE FUNCTION news_article_search_vector_update()""",
    """UPDATE news_article SET search_vector = ((setweight(to_tsvector('english'::regconfig, COALESCE(translate("title", '\xa0', ' '), '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(translate("lead", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("body", '\xa0', ' '), '')), 'C'))""",
    "CREATE INDEX news_article_search_vector ON news_article USING gin (search_vector)",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS news_article_search_vector_update ON news_article",
    "DROP FUNCTION IF EXISTS news_article_search_vector_update()",
    "DROP INDEX IF EXISTS news_article_search_vector",
    """CREATE INDEX news_article_search_vector ON news_article USING gin ((((setweight(to_tsvector('english'::regconfig, COALESCE(translate("title", '\xa0', ' '), '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(translate("lead", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("body", '\xa0', ' '), '')), 'C'))))""",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


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
