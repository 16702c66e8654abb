"""A stored search vector per page language (PostgreSQL): English pages search the English
texts with the English configuration, Russian pages the Russian texts with the Russian one
("кластеры" finds "кластер"); a text missing in a language is searched as the page shows it,
in the other language with that language's configuration. One trigger keeps both current;
each has a GIN index."""

import django.contrib.postgres.search
from django.db import migrations

from news.search import (
    BILINGUAL_SOURCE_FIELDS,
    RU_VECTOR_INDEX_NAME,
    TRIGGER_NAME,
    article_search_vector_sql,
    page_search_vector_sql,
)


def _trigger(schema_editor, assignments):
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON news_article")
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {TRIGGER_NAME}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {assignments} RETURN NEW; END $$"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER_NAME} BEFORE INSERT OR UPDATE OF "
        f"{', '.join(BILINGUAL_SOURCE_FIELDS)} ON news_article "
        f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER_NAME}()"
    )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("news", "Article")
    english = page_search_vector_sql(article, schema_editor, "en", "NEW")
    russian = page_search_vector_sql(article, schema_editor, "ru", "NEW")
    _trigger(schema_editor, f"NEW.search_vector := {english}; NEW.search_vector_ru := {russian};")
    schema_editor.execute(
        f"UPDATE news_article SET "
        f"search_vector = {page_search_vector_sql(article, schema_editor, 'en')}, "
        f"search_vector_ru = {page_search_vector_sql(article, schema_editor, 'ru')}"
    )
    schema_editor.execute(
        f"CREATE INDEX {RU_VECTOR_INDEX_NAME} ON news_article USING gin (search_vector_ru)"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("news", "Article")
    schema_editor.execute(f"DROP INDEX IF EXISTS {RU_VECTOR_INDEX_NAME}")
    both = article_search_vector_sql(article, schema_editor, "NEW", bilingual=True)
    _trigger(schema_editor, f"NEW.search_vector := {both};")
    schema_editor.execute(
        "UPDATE news_article SET search_vector = "
        f"{article_search_vector_sql(article, schema_editor, bilingual=True)}"
    )


class Migration(migrations.Migration):
    dependencies = [("news", "0010_search_both_languages")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector_ru",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        # Backward, the trigger goes before the column does.
        migrations.RunPython(forward, backward),
    ]
