"""Full-text and trigram indexes for search on PostgreSQL; nothing on other databases.

The vector index is compiled from ``news.search.article_search_vector``, the expression the
search queries use, so that the planner can match the two.
"""

from django.db import migrations
from django.db.models.sql import Query

from news.search import VECTOR_INDEX_NAME, article_search_vector


def vector_sql(model, schema_editor):
    query = Query(model, alias_cols=False)
    expression = article_search_vector(bilingual=False).resolve_expression(query, allow_joins=False)
    sql, params = query.get_compiler(connection=schema_editor.connection).compile(expression)
    return sql % tuple(schema_editor.quote_value(param) for param in params)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("news", "Article")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {VECTOR_INDEX_NAME} ON news_article "
        f"USING gin (({vector_sql(article, schema_editor)}))"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS news_article_title_trgm ON news_article "
        "USING gin (title gin_trgm_ops)"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS news_article_title_trgm")
        schema_editor.execute(f"DROP INDEX IF EXISTS {VECTOR_INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
