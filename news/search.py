"""The weighted full-text vector of an article, shared by its index and the search queries.

Title weighs above lead above body; no-break spaces in the texts are read as spaces.
"""

from django.contrib.postgres.search import SearchVector
from django.db.models import F, Func, TextField, Value

SEARCH_CONFIG = "english"
VECTOR_INDEX_NAME = "news_article_search_vector"


def plain_text(field):
    return Func(F(field), Value("\xa0"), Value(" "), function="translate", output_field=TextField())


def article_search_vector():
    return (
        SearchVector(plain_text("title"), config=SEARCH_CONFIG, weight="A")
        + SearchVector(plain_text("lead"), config=SEARCH_CONFIG, weight="B")
        + SearchVector(plain_text("body"), config=SEARCH_CONFIG, weight="C")
    )
