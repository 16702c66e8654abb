"""Full-text and trigram indexes for search on PostgreSQL; nothing on other databases.

The expression must match ``news.search.ARTICLE_VECTOR_SQL`` for the planner to use it.
"""

from django.db import migrations

# No-break spaces in the seed texts are read as ordinary spaces.
VECTOR = (
    "setweight(to_tsvector('english'::regconfig, translate(title, U&'\\00A0', ' ')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, translate(lead, U&'\\00A0', ' ')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, translate(body, U&'\\00A0', ' ')), 'C')"
)

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS news_article_search_vector ON news_article USING gin (({VECTOR}))",
    "CREATE INDEX IF NOT EXISTS news_article_title_trgm ON news_article USING gin (title gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS news_article_title_trgm",
    "DROP INDEX IF EXISTS news_article_search_vector",
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
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
