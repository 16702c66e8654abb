"""Queries built and compiled once per process, then run with other values in the places of
the stand-ins they were built with.

Building and compiling a queryset of several parts costs milliseconds of Python: more than the
database's work for the article page's small queries at a million articles. Where only some
values change from one page to the next (the article's id, the time of asking), the query is
built once with stand-ins for them, and each use puts the real values in their places.
"""

from datetime import UTC, datetime

from django.db import connection

# Values no row has and no query would otherwise hold: an article id and a time.
ANY_ID = -7_301_946_285
ANY_TIME = datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC)


def _as_compiled(value):
    """``value`` as a compiled query's parameters hold it (times adapted to the database)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


class Precompiled:
    """The SQL of ``queryset``, built with stand-ins (``ANY_ID``, ``ANY_TIME``) in place of the
    values each use gives; ``uses`` says how often the SQL holds each, in the order the values
    are given, which is checked (a condition Django left out would go unnoticed otherwise)."""

    def __init__(self, queryset, uses):
        self.model = queryset.model
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        # The names the selected columns have in the SQL ("col1" in a UNION), as ``raw()``
        # takes them to load instances.
        self.columns = {
            alias or expression.target.column: expression.target.column
            for expression, _sql, alias in compiler.select
            if hasattr(expression, "target")
        }
        compiled = [_as_compiled(stand_in) for stand_in in uses]
        # Each parameter: a fixed value, or the number of the stand-in it takes.
        self.params = [
            ("slot", compiled.index(p)) if p in compiled else ("value", p) for p in params
        ]
        slots = [n for kind, n in self.params if kind == "slot"]
        found = [slots.count(number) for number in range(len(compiled))]
        if found != list(uses.values()):
            raise ValueError(
                f"stand-ins found {found} times, not {list(uses.values())}: {self.sql}"
            )

    def params_for(self, *values):
        values = [_as_compiled(value) for value in values]
        return [values[p] if kind == "slot" else p for kind, p in self.params]

    def fetchall(self, *values):
        """The rows of the query with ``values`` in the stand-ins' places, as tuples."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params_for(*values))
            return cursor.fetchall()

    def instances(self, *values):
        """The rows as instances of the queryset's model, loaded with the columns it selects
        (the others deferred)."""
        params = self.params_for(*values)
        return list(self.model._default_manager.raw(self.sql, params, self.columns))
