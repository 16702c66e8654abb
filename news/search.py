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


def plain_text(field):
    return Func(F(field), Value("\xa0"), Value(" "), function="translate", output_field=TextField())


def article_search_vector():
    return (
        SearchVector(plain_text("title"), config=SEARCH_CONFIG, weight="A")
        + SearchVector(plain_text("lead"), config=SEARCH_CONFIG, weight="B")
        + SearchVector(plain_text("body"), config=SEARCH_CONFIG, weight="C")
    )


def article_search_vector_sql(model, schema_editor, row=None):
    """The SQL of ``article_search_vector()`` over ``model``'s columns, or ``row``'s fields."""
    return expression_sql(model, article_search_vector(), schema_editor, row)
