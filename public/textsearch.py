"""Text search over published content.

On PostgreSQL, articles use weighted full-text search (title above lead above body) with
``websearch`` syntax, ranking, highlighted snippets and a trigram fallback for misspellings,
over the stored, indexed vector of each article (news.search). The directory, and articles on
other databases, get a simpler case-insensitive match on every word, in any of its forms
(public.wordforms). No-break spaces count as spaces.
"""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cms.translated import LANGUAGES, other_language
from news.search import CONFIGS, VECTOR_COLUMNS, plain_text
from portal.search import searchable_text, shown_text

from .wordforms import word_pattern, word_pattern_sql

MAX_QUERY_LENGTH = 200
SEARCH_CANDIDATES = 500
# Fewer matches than this among the newest rows: the search takes its matches from the index
# (newest_matches).
DENSITY_SAMPLE, SPARSE_MATCHES = 500, 5
# Markers that cannot occur in the text; swapped for <mark> after escaping the snippet.
_START, _STOP = "\u2e22", "\u2e23"


def uses_postgres():
    return connection.vendor == "postgresql"


def normalise_query(q):
    return " ".join((q or "").replace("\xa0", " ").split())


def _plain_text(text):
    return Replace(text, Value("\xa0"), Value(" "), output_field=TextField())


def match_words(queryset, q):
    """Rows where every word of ``q`` appears, in one of its forms, in the model's
    ``text_search_fields``: each word matches a word of the text that starts with the start its
    forms share (public.wordforms: "universities" finds "university", "кластеров" finds
    "кластер").

    Case-insensitive. On PostgreSQL the fields are matched as one text, which their trigram
    index serves (portal.search).
    """
    words = normalise_query(q).split()[:20]
    if not words:
        return queryset
    fields = queryset.model.text_search_fields
    # The texts as a page in its language shows them (its own, else the other language's).
    language = get_language() if get_language() in LANGUAGES else LANGUAGES[0]
    if uses_postgres():
        queryset = queryset.alias(_text=searchable_text(fields, language))
        for word in words:
            # Upper-cased by the database, as the text is.
            queryset = queryset.filter(_text__regex=word_pattern_sql(word))
        return queryset
    annotations = {f"_plain_{field}": _plain_text(shown_text(field, language)) for field in fields}
    queryset = queryset.annotate(**annotations)
    for word in words:
        pattern, condition = word_pattern(word), Q()
        for field in fields:
            condition |= Q(**{f"_plain_{field}__regex": pattern})
        queryset = queryset.filter(condition)
    return queryset


def search_articles(queryset, q):
    """Filter articles by ``q``; on PostgreSQL also rank them and order by rank.

    Ranking reads each candidate's stored vector, so only the ``SEARCH_CANDIDATES`` newest
    matches are candidates: a common word matches tens of thousands of articles, and
    few read past the first few hundred results of a search.
    """
    q = normalise_query(q)
    if not q:
        return queryset
    if not uses_postgres():
        return match_words(queryset, q)
    if queryset.query.is_empty():
        return queryset  # newest_matches compiles its parts, which an empty queryset cannot
    query = search_query(q)
    vector = VECTOR_COLUMNS.get(get_language(), "search_vector")
    return (
        queryset.filter(pk__in=newest_matches(queryset, vector, query))
        .annotate(rank=SearchRank(F(vector), query))
        .order_by("-rank", "-published_at", "-id")
    )


def newest_matches(queryset, vector, query):
    """SQL: the keys of the ``SEARCH_CANDIDATES`` newest rows of ``queryset`` matching
    ``query``, found the way their number calls for.

    Asked for the newest matches, PostgreSQL walks the publication-time index and tests each
    row: quick for a common word (one article in seven matches), but for a word it cannot
    estimate (one not among its most common lexemes, such as a name or a number) it walks the
    whole table, 12 s at a million articles. So the newest ``DENSITY_SAMPLE`` rows are tested
    first; where fewer than ``SPARSE_MATCHES`` of them match, all matches are taken from the
    vector's GIN index (a materialised CTE, which the walk cannot enter) and the newest kept.
    One query either way: each branch runs only when its one-time condition holds. Columns
    are read by their names (``values()`` orders them as it likes).
    """
    newest = queryset.order_by("-published_at", "-id")
    matches = queryset.filter(**{vector: query})
    sample = matches.filter(pk__in=newest.values("pk")[:DENSITY_SAMPLE]).order_by().values("pk")
    walk = matches.order_by("-published_at", "-id").values("pk")[:SEARCH_CANDIDATES]
    every = matches.order_by().values("pk", "published_at")
    (sample_sql, sample_params), (walk_sql, walk_params), (every_sql, every_params) = (
        part.query.sql_with_params() for part in (sample, walk, every)
    )
    sql = f"""
WITH sparse AS MATERIALIZED (SELECT count(*) < %s AS yes FROM ({sample_sql}) sample),
every AS MATERIALIZED ({every_sql})
SELECT walk.pk FROM ({walk_sql}) AS walk WHERE NOT (SELECT yes FROM sparse)
UNION ALL (
  SELECT every.pk FROM every WHERE (SELECT yes FROM sparse)
  ORDER BY every.published_at DESC, every.pk DESC LIMIT %s
)"""
    params = [SPARSE_MATCHES, *sample_params, *every_params, *walk_params, SEARCH_CANDIDATES]
    return RawSQL(sql, params)


def search_query(q):
    """The words of ``q`` read both ways, English and Russian: each page's vector holds texts
    of its own language and, where one is missing, of the other (news.search)."""
    return SearchQuery(q, search_type="websearch", config=CONFIGS["en"]) | SearchQuery(
        q, search_type="websearch", config=CONFIGS["ru"]
    )


def is_capped(count):
    """Whether ``count`` search results may be only the newest of more matches."""
    return uses_postgres() and count >= SEARCH_CANDIDATES


def similar_titles(queryset, q):
    """Articles whose title resembles ``q`` (misspellings); PostgreSQL only, else none."""
    words = [word for word in normalise_query(q).split() if len(word) >= 4][:10]
    if not words or not uses_postgres():
        return queryset.none()
    # Any resembling word will do; each test can use the trigram index on the title.
    condition = Q()
    for word in words:
        condition |= Q(title__trigram_word_similar=word)
    similarity = TrigramWordSimilarity(" ".join(words), "title")
    # The untranslated title column (English, else Russian) is the one its index covers.
    matches = queryset.rewrite(False).filter(condition)
    return matches.annotate(similarity=similarity).order_by("-similarity")


def with_snippets(queryset, q):
    """Annotate ``snippet`` (highlighted on PostgreSQL) for search results."""
    if uses_postgres() and normalise_query(q):
        language = get_language() if get_language() in CONFIGS else "en"
        body = shown_text("body", language)
        # Highlighted with the configuration of the language the body is shown in.
        config = Case(
            When(~Q(**{f"body_{language}": ""}), then=Value(CONFIGS[language])),
            default=Value(CONFIGS[other_language(language)]),
        )
        snippet = SearchHeadline(
            plain_text(body),
            search_query(normalise_query(q)),
            config=config,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
        )
        return queryset.annotate(snippet=snippet)
    return queryset


def render_snippet(raw):
    """Escape a headline and turn its markers into <mark> elements."""
    html = escape(raw).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own markers become tags
