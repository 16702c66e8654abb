"""The searchable text of directory entries, shared by the word search and its index.

On PostgreSQL a trigram index on ``searchable_text(Model.text_search_fields)`` serves "contains
this word" matches; the index is compiled from the same expression the queries use, so that
the planner can match the two.
"""

import re

from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, Concat, Replace, Upper
from django.db.models.sql import Query

from cms.translated import localized


def shown_text(field, language):
    """The text of a translated ``field`` as a page in ``language`` shows it, "" if none."""
    return Coalesce(localized(field, language), Value(""), output_field=TextField())


def searchable_text(fields, language=None):
    """``fields`` joined by spaces and upper-cased, no-break spaces read as spaces; with a
    ``language``, each as a page in that language shows it."""
    parts = []
    for field in fields:
        parts += [shown_text(field, language) if language else F(field), Value(" ")]
    joined = Concat(*parts[:-1], output_field=TextField()) if len(fields) > 1 else parts[0]
    return Upper(Replace(joined, Value("\xa0"), Value(" "), output_field=TextField()))


def expression_sql(model, expression, schema_editor, row=None):
    """The SQL of ``expression`` over ``model``'s columns, or a trigger's ``row`` fields."""
    query = Query(model, alias_cols=False)
    resolved = expression.resolve_expression(query, allow_joins=False)
    sql, params = query.get_compiler(connection=schema_editor.connection).compile(resolved)
    sql = sql % tuple(schema_editor.quote_value(param) for param in params)
    if row:
        columns = "|".join(re.escape(field.column) for field in model._meta.concrete_fields)
        sql = re.sub(rf'"({columns})"', rf'{row}."\1"', sql)
    return sql


def trigram_index_name(model, language=None):
    suffix = f"_{language}" if language else ""
    return f"{model._meta.db_table}_text_trgm{suffix}"


def create_trigram_index(model, fields, schema_editor, language=None):
    """PostgreSQL only: the index of ``model``'s searchable text made of ``fields``."""
    if schema_editor.connection.vendor != "postgresql":
        return
    expression = searchable_text(fields, language)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {trigram_index_name(model, language)} "
        f"ON {model._meta.db_table} "
        f"USING gin (({expression_sql(model, expression, schema_editor)}) gin_trgm_ops)"
    )


def drop_trigram_index(model, schema_editor, language=None):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {trigram_index_name(model, language)}")
