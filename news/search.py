"""The weighted full-text vector of an article.

Title weighs above lead above body; no-break spaces in the texts are read as spaces. On
PostgreSQL the vector is stored in ``Article.search_vector``, kept current by a trigger compiled
from ``article_search_vector()`` (so every write counts, bulk ones included) and indexed.
"""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.expressions import CombinedExpression

from cms.translated import LANGUAGES, other_language
from portal.search import expression_sql

SEARCH_CONFIG = "english"
VECTOR_INDEX_NAME = "news_article_search_vector"
TRIGGER_NAME = "news_article_search_vector_update"
SOURCE_FIELDS = ("title", "lead", "body")  # a change to one of them updates the vector
# Since the texts are kept in both languages (news/translation.py): their columns.
BILINGUAL_SOURCE_FIELDS = tuple(f"{field}_{code}" for field in SOURCE_FIELDS for code in LANGUAGES)


# The text search configuration of each language's texts.
CONFIGS = {"en": "english", "ru": "russian"}
VECTOR_COLUMNS = {"en": "search_vector", "ru": "search_vector_ru"}
RU_VECTOR_INDEX_NAME = "news_article_search_vector_ru"


def plain_text(field):
    """``field`` (a name or an expression) with no-break spaces read as spaces."""
    expression = F(field) if isinstance(field, str) else field
    return Func(
        expression, Value("\xa0"), Value(" "), function="translate", output_field=TextField()
    )


def page_search_vector(language):
    """The vector a page in ``language`` is searched by: each text as that page shows it,
    read with its own language's configuration (Russian stems for Russian text)."""
    vector = None
    for field, weight in (("title", "A"), ("lead", "B"), ("body", "C")):
        own, other = f"{field}_{language}", f"{field}_{other_language(language)}"
        part = Case(
            When(
                ~Q(**{own: ""}) & Q(**{f"{own}__isnull": False}),
                then=SearchVector(plain_text(own), config=CONFIGS[language], weight=weight),
            ),
            default=SearchVector(
                plain_text(other), config=CONFIGS[other_language(language)], weight=weight
            ),
            output_field=SearchVectorField(),
        )
        vector = (
            part
            if vector is None
            else CombinedExpression(vector, "||", part, output_field=SearchVectorField())
        )
    return vector


def page_search_vector_sql(model, schema_editor, language, row=None):
    return expression_sql(model, page_search_vector(language), schema_editor, row)


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
