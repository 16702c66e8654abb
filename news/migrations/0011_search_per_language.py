"""A stored search vector per page language (PostgreSQL): English pages search the English
texts with the English configuration, Russian pages the Russian texts with the Russian one
("кластеры" finds "кластер"); a text missing in a language is searched as the page shows it,
in the other language with that language's configuration. One trigger keeps both current;
each has a GIN index.

Frozen: the SQL below is what news/search.py compiled for this migration when it was made (the
migration no longer imports it, so later changes there cannot change it).
"""

import django.contrib.postgres.search
from django.db import migrations

FORWARD = [
    "DROP TRIGGER IF EXISTS news_article_search_vector_update ON news_article",
    """CREATE OR REPLACE FUNCTION news_article_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.search_vector := ((CASE WHEN (NOT (NEW."title_en" = '' AND NEW."title_en" IS NOT NULL) AND NEW."title_en" IS NOT NULL) THEN setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."title_en", '\xa0', ' '), '')), 'A') ELSE setweight(to_tsvector('russian'::regconfig, COALESCE(translate(NEW."title_ru", '\xa0', ' '), '')), 'A') END || CASE WHEN (NOT (NEW."lead_en" = '' AND NEW."lead_en" IS NOT NULL) AND NEW."lead_en" IS NOT NULL) THEN setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."lead_en", '\xa0', ' '), '')), 'B') ELSE setweight(to_tsvector('russian'::regconfig, COALESCE(translate(NEW."lead_ru", '\xa0', ' '), '')), 'B') END) || CASE WHEN (NOT (NEW."body_en" = '' AND NEW."body_en" IS NOT NULL) AND NEW."body_en" IS NOT NULL) THEN setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."body_en", '\xa0', ' '), '')), 'C') ELSE setweight(to_tsvector('russian'::regconfig, COALESCE(translate(NEW."body_ru", '\xa0', ' '), '')), 'C') END); NEW.search_vector_ru := ((CASE WHEN (NOT (NEW."title_ru" = '' AND NEW."title_ru" IS NOT NULL) AND NEW."title_ru" IS NOT NULL) THEN setweight(to_tsvector('russian'::regconfig, COALESCE(translate(NEW."title_ru", '\xa0', ' '), '')), 'A') ELSE setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."title_en", '\xa0', ' '), '')), 'A') END || CASE WHEN (NOT (NEW."lead_ru" = '' AND NEW."lead_ru" IS NOT NULL) AND NEW."lead_ru" IS NOT NULL) THEN setweight(to_tsvector('russian'::regconfig, COALESCE(translate(NEW."lead_ru", '\xa0', ' '), '')), 'B') ELSE setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."lead_en", '\xa0', ' '), '')), 'B') END) || CASE WHEN (NOT (NEW."body_ru" = '' AND NEW."body_ru" IS NOT NULL) AND NEW."body_ru" IS NOT NULL) THEN setweight(to_tsvector('russian'::regconfig, COALESCE(translate(NEW."body_ru", '\xa0', ' '), '')), 'C') ELSE setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."body_en", '\xa0', ' '), '')), 'C') END); RETURN NEW; END $$""",
    """CREATE TRIGGER news_article_search_vector_update BEFORE INSERT OR UPDATE OF title_en, title_ru, lead_en, lead_ru, body_en, body_ru ON news_article FOR EACH ROW EXECUTE FUNCTION news_article_search_vector_update()""",
    """UPDATE news_article SET search_vector = ((CASE WHEN (NOT ("title_en" = '' AND "title_en" IS NOT NULL) AND "title_en" IS NOT NULL) THEN setweight(to_tsvector('english'::regconfig, COALESCE(translate("title_en", '\xa0', ' '), '')), 'A') ELSE setweight(to_tsvector('russian'::regconfig, COALESCE(translate("title_ru", '\xa0', ' '), '')), 'A') END || CASE WHEN (NOT ("lead_en" = '' AND "lead_en" IS NOT NULL) AND "lead_en" IS NOT NULL) THEN setweight(to_tsvector('english'::regconfig, COALESCE(translate("lead_en", '\xa0', ' '), '')), 'B') ELSE setweight(to_tsvector('russian'::regconfig, COALESCE(translate("lead_ru", '\xa0', ' '), '')), 'B') END) || CASE WHEN (NOT ("body_en" = '' AND "body_en" IS NOT NULL) AND "body_en" IS NOT NULL) THEN setweight(to_tsvector('english'::regconfig, COALESCE(translate("body_en", '\xa0', ' '), '')), 'C') ELSE setweight(to_tsvector('russian'::regconfig, COALESCE(translate("body_ru", '\xa0', ' '), '')), 'C') END), search_vector_ru = ((CASE WHEN (NOT ("title_ru" = '' AND "title_ru" IS NOT NULL) AND "title_ru" IS NOT NULL) THEN setweight(to_tsvector('russian'::regconfig, COALESCE(translate("title_ru", '\xa0', ' '), '')), 'A') ELSE setweight(to_tsvector('english'::regconfig, COALESCE(translate("title_en", '\xa0', ' '), '')), 'A') END || CASE WHEN (NOT ("lead_ru" = '' AND "lead_ru" IS NOT NULL) AND "lead_ru" IS NOT NULL) THEN setweight(to_tsvector('russian'::regconfig, COALESCE(translate("lead_ru", '\xa0', ' '), '')), 'B') ELSE setweight(to_tsvector('english'::regconfig, COALESCE(translate("lead_en", '\xa0', ' '), '')), 'B') END) || CASE WHEN (NOT ("body_ru" = '' AND "body_ru" IS NOT NULL) AND "body_ru" IS NOT NULL) THEN setweight(to_tsvector('russian'::regconfig, COALESCE(translate("body_ru", '\xa0', ' '), '')), 'C') ELSE setweight(to_tsvector('english'::regconfig, COALESCE(translate("body_en", '\xa0', ' '), '')), 'C') END)""",
    """CREATE INDEX news_article_search_vector_ru ON news_article USING gin (search_vector_ru)""",
]

BACKWARD = [
    "DROP INDEX IF EXISTS news_article_search_vector_ru",
    "DROP TRIGGER IF EXISTS news_article_search_vector_update ON news_article",
    """CREATE OR REPLACE FUNCTION news_article_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.search_vector := (((((setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."title_en", '\xa0', ' '), '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."title_ru", '\xa0', ' '), '')), 'A')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."lead_en", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."lead_ru", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."body_en", '\xa0', ' '), '')), 'C')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate(NEW."body_ru", '\xa0', ' '), '')), 'C')); RETURN NEW; END $$""",
    """CREATE TRIGGER news_article_search_vector_update BEFORE INSERT OR UPDATE OF title_en, title_ru, lead_en, lead_ru, body_en, body_ru ON news_article FOR EACH ROW EXECUTE FUNCTION news_article_search_vector_update()""",
    """UPDATE news_article SET search_vector = (((((setweight(to_tsvector('english'::regconfig, COALESCE(translate("title_en", '\xa0', ' '), '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(translate("title_ru", '\xa0', ' '), '')), 'A')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("lead_en", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("lead_ru", '\xa0', ' '), '')), 'B')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("body_en", '\xa0', ' '), '')), 'C')) || setweight(to_tsvector('english'::regconfig, COALESCE(translate("body_ru", '\xa0', ' '), '')), 'C'))""",
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
