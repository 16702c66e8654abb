"""The weighted full-text vector of an article.

Title weighs above lead above body; no-break spaces in the texts are read as spaces. On
PostgreSQL the vector is stored in ``Article.search_vector``, kept current by a trigger compiled
from ``article_search_vector()`` (so every write counts, bulk ones included) and indexed.
"""

from django.contrib.postgres.search import SearchVector
from django.db.models import F, Func, TextField, Value

from portal.search import expression_sql

SEARCH_CONFIG = "english"
VECTOR_INDEX_NAME = "news_article_search_vector"
TRIGGER_NAME = "news_article_search_vector_update"
SOURCE_FIELDS = ("title", "lead", "body")  # a change to one of them updates the vector
# Since the texts are kept in both languages (news/translation.py): their columns.
LANGUAGES = ("en", "ru")
BILINGUAL_SOURCE_FIELDS = tuple(f"{field}_{code}" for field in SOURCE_FIELDS for code in LANGUAGES)


def plain_text(field):
    return Func(F(field), Value("\xa0"), Value(" "), function="translate", output_field=TextField())


def article_search_vector(bilingual=True):
    """Title above lead above body, in both languages (``bilingual=False``: the single
    columns of before, for the migrations that predate the translations)."""
    vector = None
    for field, weight in (("title", "A"), ("lead", "B"), ("body", "C")):
        for column in [f"{field}_{code}" for code in LANGUAGES] if bilingual else [field]:
            part = SearchVector(plain_text(column), config=SEARCH_CONFIG, weight=weight)
            vector = part if vector is None else vector + part
    return vector


def article_search_vector_sql(model, schema_editor, row=None, bilingual=True):
    """The SQL of ``article_search_vector()`` over ``model``'s columns, or ``row``'s fields."""
    return expression_sql(model, article_search_vector(bilingual), schema_editor, row)
