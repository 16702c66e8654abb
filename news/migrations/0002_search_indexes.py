"""Full-text and trigram indexes for search on PostgreSQL; nothing on other databases.

The vector index is compiled from ``news.search.article_search_vector``, the expression the
search queries use, so that the planner can match the two.

Frozen: the SQL below is what news/search.py compiled for this migration when it was made (the
migration no longer imports it, so later changes there cannot change it).
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX IF NOT EXISTS news_article_search_vector ON news_article USING gin ((((setweight(to_tsvector('english'::regconfig, COALESCE(translate("title", '\xa0', ' '), '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(translate("lead", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("body", '\xa0', ' '), '')), 'C'))))""",
    """CREATE INDEX IF NOT EXISTS news_article_title_trgm ON news_article USING gin (title gin_trgm_ops)""",
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
