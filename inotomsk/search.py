"""Text search over published content.

On PostgreSQL, articles use weighted full-text search (title above lead above body) with
``websearch`` syntax, ranking, highlighted snippets and a trigram fallback for misspellings;
the vector expression matches the index of news/migrations/0002_search_indexes.py. Other
databases get a simpler case-insensitive match on every word. No-break spaces count as spaces.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "english"
ARTICLE_VECTOR_SQL = (
    "setweight(to_tsvector('english'::regconfig, translate(news_article.title, U&'\\00A0', ' ')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, translate(news_article.lead, U&'\\00A0', ' ')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, translate(news_article.body, U&'\\00A0', ' ')), 'C')"
)
# Markers that cannot occur in the text; swapped for <mark> after escaping the snippet.
_START, _STOP = "\u2e22", "\u2e23"


def uses_postgres():
    return connection.vendor == "postgresql"


def normalise_query(q):
    return " ".join((q or "").replace("\xa0", " ").split())


def _plain_text(field):
    return Replace(F(field), Value("\xa0"), Value(" "), output_field=TextField())


def match_words(queryset, q, fields):
    """Rows where every word of ``q`` appears in one of ``fields`` (case-insensitive)."""
    words = normalise_query(q).split()
    if not words:
        return queryset
    annotations = {f"_plain_{field}": _plain_text(field) for field in fields}
    queryset = queryset.annotate(**annotations)
    for word in words[:20]:
        condition = Q()
        for field in fields:
            condition |= Q(**{f"_plain_{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def search_articles(queryset, q):
    """Filter articles by ``q``; on PostgreSQL also annotate ``rank`` and order by it."""
    q = normalise_query(q)
    if not q:
        return queryset
    if not uses_postgres():
        return match_words(queryset, q, ["title", "lead", "body"])
    query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    vector = RawSQL(ARTICLE_VECTOR_SQL, [], output_field=SearchVectorField())
    return (
        queryset.annotate(search_vector=vector)
        .filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-published_at", "-id")
    )


def similar_titles(queryset, q):
    """Articles whose title resembles ``q`` (misspellings); PostgreSQL only, else none."""
    q = normalise_query(q)
    if not q or not uses_postgres():
        return queryset.none()
    return queryset.filter(title__trigram_word_similar=q)


class Headline(Func):
    function = "ts_headline"
    output_field = TextField()

    def __init__(self, text, q):
        super().__init__(
            Value(SEARCH_CONFIG),
            Func(text, Value("\xa0"), Value(" "), function="translate"),
            Func(
                Value(q),
                function="websearch_to_tsquery",
                template="%(function)s('english', %(expressions)s)",
            ),
            Value(f"StartSel={_START}, StopSel={_STOP}, MaxWords=35, MinWords=15, MaxFragments=2"),
        )


def with_snippets(queryset, q):
    """Annotate ``snippet`` (highlighted on PostgreSQL) for search results."""
    if uses_postgres() and normalise_query(q):
        return queryset.annotate(snippet=Headline(F("body"), normalise_query(q)))
    return queryset


def render_snippet(raw):
    """Escape a headline and turn its markers into <mark> elements."""
    html = escape(raw).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own markers become tags
