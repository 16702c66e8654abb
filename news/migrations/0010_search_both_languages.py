"""The stored search vector of an article reads the texts of both languages (PostgreSQL): the
trigger now follows the English and Russian columns, and every vector is computed again."""

from django.db import migrations

from news.search import (
    BILINGUAL_SOURCE_FIELDS,
    SOURCE_FIELDS,
    TRIGGER_NAME,
    article_search_vector_sql,
)


def _replace_trigger(apps, schema_editor, bilingual):
    if schema_editor.connection.vendor != "postgresql":
        return
    article = apps.get_model("news", "Article")
    vector = article_search_vector_sql(article, schema_editor, "NEW", bilingual=bilingual)
    fields = BILINGUAL_SOURCE_FIELDS if bilingual else SOURCE_FIELDS
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON news_article")
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {TRIGGER_NAME}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN NEW.search_vector := {vector}; RETURN NEW; END $$"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER_NAME} BEFORE INSERT OR UPDATE OF {', '.join(fields)} "
        f"ON news_article FOR EACH ROW EXECUTE FUNCTION {TRIGGER_NAME}()"
    )
    schema_editor.execute(
        "UPDATE news_article SET search_vector = "
        f"{article_search_vector_sql(article, schema_editor, bilingual=bilingual)}"
    )


def forward(apps, schema_editor):
    _replace_trigger(apps, schema_editor, bilingual=True)


def backward(apps, schema_editor):
    _replace_trigger(apps, schema_editor, bilingual=False)


class Migration(migrations.Migration):
    dependencies = [("news", "0009_texts_in_english")]

    operations = [migrations.RunPython(forward, backward)]
