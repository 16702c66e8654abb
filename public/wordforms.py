"""Word forms in the directory's word search: "universities" finds "university", "кластеров"
finds "кластер".

Each word of a search matches where a word of the text starts with the start its forms share:
the word cut to the length of its stem in its language (Russian for a word with Cyrillic
letters, English otherwise). On PostgreSQL the stem comes from the Snowball dictionaries of the
``english`` and ``russian`` text search configurations (``ts_lexize``), inside the query;
elsewhere from the same algorithms in Python (the ``snowballstemmer`` package). The start is
a part of the word, so a search finds every text that has the word itself; on PostgreSQL the
trigram index of the searchable text still serves it (the planner folds the stem into a
constant pattern).

English stems write a final "y" as "i" ("citi" for "city" and "cities"), so the forms share
only what comes before it; a start is never shorter than ``MIN_START`` letters (or the word).
A word that starts with a letter or digit matches at the start of a word of the text only
("ministry" does not find "administration"); other "words" ("%", "(c)") anywhere.
"""

import re

import snowballstemmer
from django.db.models import Func, TextField, Value
from django.db.models.functions import Coalesce, Concat, Greatest, Left, Length, Upper

MIN_START = 3
# The stemming dictionary of each language's text search configuration (PostgreSQL).
DICTIONARIES = {"en": "english_stem", "ru": "russian_stem"}
STEMMERS = {"en": snowballstemmer.stemmer("english"), "ru": snowballstemmer.stemmer("russian")}
CYRILLIC = re.compile("[\u0400-\u04ff]")
# What continues a word: a start must not follow one. Spelled out, not [[:alnum:]] or \w,
# whose letters depend on the database's locale; the texts are in English and Russian.
WORD_CHARACTER = "0-9A-Za-zА-Яа-яЁё"
AFTER_A_BOUNDARY = f"(^|[^{WORD_CHARACTER}])"
# The characters a regular expression gives a meaning to (PostgreSQL's and Python's).
SPECIAL = r"([.^$*+?()[\]{}|\\-])"


def word_language(word):
    return "ru" if CYRILLIC.search(word) else "en"


def word_start(word):
    """The start of ``word`` that its forms share, as typed (its case kept), in Python."""
    language = word_language(word)
    stem = STEMMERS[language].stemWord(word.lower())
    if language == "en":
        stem = stem.rstrip("i")
    return word[: max(len(stem), min(MIN_START, len(word)))]


def _boundary(word):
    return AFTER_A_BOUNDARY if re.match(f"[{WORD_CHARACTER}]", word) else ""


def word_pattern(word):
    """A regular expression (Python's, case-insensitive) of the forms of ``word``."""
    return "(?i)" + _boundary(word) + re.sub(SPECIAL, r"\\\1", word_start(word))


class Lexeme(Func):
    """``ts_lexize(dictionary, word)[1]``: the word's stem, NULL for a stop word."""

    template = "(ts_lexize('%(dictionary)s'::regdictionary, %(expressions)s))[1]"
    output_field = TextField()

    def __init__(self, word, language):
        super().__init__(Value(word.lower()), dictionary=DICTIONARIES[language])


def word_start_sql(word):
    """The same start, stemmed by PostgreSQL's dictionary of the word's language and
    upper-cased as the searchable text is (portal.search)."""
    language = word_language(word)
    stem = Coalesce(Lexeme(word, language), Value(word.lower()), output_field=TextField())
    if language == "en":
        stem = Func(stem, Value("i"), function="rtrim", output_field=TextField())
    length = Greatest(Length(stem), Value(min(MIN_START, len(word))))
    return Upper(Left(Value(word, output_field=TextField()), length))


def word_pattern_sql(word):
    """The same as a PostgreSQL regular expression over the upper-cased searchable text."""
    start = Func(
        word_start_sql(word),
        Value(SPECIAL),
        Value(r"\\\1"),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return Concat(Value(_boundary(word)), start, output_field=TextField())
