"""The stored search vector of an article reads the texts of both languages (PostgreSQL): the
trigger now follows the English and Russian columns, and every vector is computed again.

Frozen: the SQL below is what news/search.py compiled for this migration when it was made (the
migration no longer imports it, so later changes there cannot change it).
"""

from django.db import migrations

FORWARD = [
    "DROP TRIGGER IF EXISTS news_article_search_vector_update ON news_article",
    """CREATE OR REPLACE FUNCTION news_article_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.search_vector := (((((setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."title_en", '\xa0', ' '), '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."title_ru", '\xa0', ' '), '')), 'A')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."lead_en", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."lead_ru", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."body_en", '\xa0', ' '), '')), 'C')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."body_ru", '\xa0', ' '), '')), 'C')); RETURN NEW; END $$""",
    """CREATE TRIGGER news_article_search_vector_update BEFORE INSERT OR UPDATE OF title_en, title_ru, lead_en, lead_ru, body_en, body_ru ON news_article FOR EACH ROW EXECUTE FUNCTION news_article_search_vector_update()""",
    """UPDATE news_article SET search_vector = (((((setweight(to_tsvector('english'::regconfig, COALESCE(translate("title_en", '\xa0', ' '), '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(translate("title_ru", '\xa0', ' '), '')), 'A')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("lead_en", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("lead_ru", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("body_en", '\xa0', ' '), '')), 'C')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("body_ru", '\xa0', ' '), '')), 'C'))""",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS news_article_search_vector_update ON news_article",
    """CREATE OR REPLACE FUNCTION news_article_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.search_vector := ((setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."title", '\xa0', ' '), '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."lead", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."body", '\xa0', ' '), '')), 'C')); RETURN NEW; END $$""",
    """CREATE TRIGGER news_article_search_vector_update BEFORE INSERT OR UPDATE OF title, lead, body ON news_article FOR EACH ROW EXECUTE FUNCTION news_article_search_vector_update()""",
    """UPDATE news_article SET search_vector = ((setweight(to_tsvector('english'::regconfig, COALESCE(translate("title", '\xa0', ' '), '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(translate("lead", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("body", '\xa0', ' '), '')), 'C'))""",
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
    dependencies = [("news", "0009_texts_in_english")]

    operations = [migrations.RunPython(forward, backward)]
