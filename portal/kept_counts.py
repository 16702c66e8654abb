"""Facet counts that PostgreSQL triggers keep, for any list: the SQL that installs them.

A list's ``KeptCounts`` names the table of its rows, which rows are counted, its facets and
the table of counts. A facet is a link table (a row has any number of its options) or a value
of the row itself (one option or none). For the counted rows, the table of counts holds how
many have option B of one facet among those with option A of another: the counts of the
unfiltered list (A is ``ALL``) and of every list with one filter value, its number of results
included (B is ``ALL``). Triggers on the rows and their link tables keep it current with every
write, bulk ones included, in the same transaction; ``paused`` writes without them and counts
once after.

``news.facet_counts`` describes /news/, ``clusters.project_counts`` /projects/;
``public.listing.kept`` reads the counts; ``portal.models.FacetCount`` is the base of
each table's model. Other databases keep no table.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

ALL = 0
# A link table's triggers: the link counts while it exists (added after its insert, taken off
# before its delete); an update takes the old link off before and adds the new one after.
LINK_TRIGGERS = {
    "insert": "AFTER INSERT",
    "delete": "BEFORE DELETE",
    "update_before": "BEFORE UPDATE",
    "update_after": "AFTER UPDATE",
}


def is_kept():
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Value:
    """A facet read from the row itself: ``sql(row)`` is its option's code (a bigint), NULL
    for none where ``nullable``. ``choices``: the values a code stands for (code 1 is the
    first), for a text column with fixed choices."""

    sql: Callable[[str], str]
    nullable: bool = False
    choices: tuple = ()

    @classmethod
    def of_choices(cls, column, choices):
        """A text column with fixed choices; any other value (blank) is no option."""
        values = ", ".join(f"'{value}'" for value in choices)
        return cls(
            lambda row: f"array_position(ARRAY[{values}]::text[], {row}.{column}::text)::bigint",
            nullable=True,
            choices=tuple(choices),
        )

    def code(self, choice):
        return self.choices.index(choice) + 1


@dataclass(frozen=True)
class KeptCounts:
    """The kept facet counts of one list; ``install_sql()`` writes its functions and triggers."""

    rows: str  # the table of the rows ("news_article")
    row: str  # one row's name in the SQL ("article"); its link tables' column is row + "_id"
    table: str  # the table of counts
    model: str  # its model's label
    counted: Callable[[str | None], str]  # SQL: the row (or the table's row) is counted
    state: str  # the column that decides whether a row is counted
    read: str  # the columns of a row the triggers read (they count it and give its values)
    facets: dict  # {filter name: code}
    links: dict  # {filter name: (link table, option column)}
    values: dict = field(default_factory=dict)  # {filter name: Value}
    add_function: str = ""
    # While this setting of the transaction is "on", the triggers leave the table alone.
    pause_setting: str = ""

    @property
    def paused_sql(self):
        return f"current_setting('{self.pause_setting}', true) = 'on'"

    @property
    def facets_function(self):
        return f"{self.rows}_facets"

    @property
    def triggers(self):
        """{table: trigger function}, the rows' table first."""
        return {
            self.rows: f"{self.rows}_facet_counts",
            **{table: f"{table}_facet_counts" for table, _column in self.links.values()},
        }

    def trigger_names(self):
        """{(table, trigger)} of every trigger installed."""
        names = {(self.rows, self.triggers[self.rows])}
        for link, _column in self.links.values():
            names |= {(link, f"{self.triggers[link]}_{when}") for when in LINK_TRIGGERS}
        return names

    def _arguments(self, row):
        return ", ".join([f"{row}.id", *(value.sql(row) for value in self.values.values())])

    def _changed(self, first, second):
        """SQL: the update changes whether, or how, the row is counted."""
        lines = [f"TG_OP = '{'DELETE' if first == 'NEW' else 'INSERT'}'"]
        lines[0] += f" OR {first}.{self.state} IS DISTINCT FROM {second}.{self.state}"
        for value in self.values.values():
            compare = "IS DISTINCT FROM" if value.nullable else "<>"
            lines.append(f"OR {value.sql('NEW')} {compare} {value.sql('OLD')}")
        return "\n    ".join(lines)

    def install_sql(self):
        """Statements creating the functions and triggers that keep the table current."""
        row, table = self.row, self.table
        parameters = ", ".join(f"{name} bigint" for name in [row, *self.values])
        arguments = ", ".join([row, *self.values])
        options = "\n".join(
            f"  UNION ALL SELECT {self.facets[name]}::smallint, {column} FROM {link} "
            f"WHERE {row}_id = {row}"
            for name, (link, column) in self.links.items()
        )
        for name, value in self.values.items():
            options += f"\n  UNION ALL SELECT {self.facets[name]}::smallint, {name}"
            options += f" WHERE {name} IS NOT NULL" if value.nullable else ""
        statements = [
            # Which (facet, option) pairs are common, so that the planner reads the top of a
            # large facet in the order of the index instead of sorting all of it.
            f"CREATE STATISTICS IF NOT EXISTS {table}_pairs (mcv) "
            f"ON facet_a, option_a, facet_b FROM {table}",
            # Every facet option of one row, ALL included.
            f"""CREATE OR REPLACE FUNCTION {self.facets_function}({parameters})
RETURNS TABLE (facet smallint, option bigint) LANGUAGE sql STABLE AS $$
  SELECT {ALL}::smallint, {ALL}::bigint
{options}
$$""",
            # Add ``sign`` to every pair of the row, or only to the pairs of one option.
            f"""CREATE OR REPLACE FUNCTION {self.add_function}(
  {parameters}, one_facet smallint, one_option bigint, sign integer
) RETURNS void LANGUAGE sql AS $$
  INSERT INTO {table} AS kept (facet_a, option_a, facet_b, option_b, n)
  SELECT a.facet, a.option, b.facet, b.option, sum(sign)
  FROM {self.facets_function}({arguments}) a, {self.facets_function}({arguments}) b
  WHERE (a.facet = {ALL} OR a.facet <> b.facet)
    AND (one_facet IS NULL OR (a.facet = one_facet AND a.option = one_option)
         OR (b.facet = one_facet AND b.option = one_option))
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (facet_a, option_a, facet_b, option_b) DO UPDATE SET n = kept.n + excluded.n
$$""",
            f"""CREATE OR REPLACE FUNCTION {self.triggers[self.rows]}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF {self.paused_sql} THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND {self.counted("OLD")} AND (
    {self._changed("NEW", "OLD")}
  ) THEN
    PERFORM {self.add_function}({self._arguments("OLD")}, NULL, NULL, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND {self.counted("NEW")} AND (
    {self._changed("OLD", "NEW")}
  ) THEN
    PERFORM {self.add_function}({self._arguments("NEW")}, NULL, NULL, 1);
  END IF;
  RETURN NULL;
END $$""",
            f"""CREATE TRIGGER {self.triggers[self.rows]}
AFTER INSERT OR UPDATE OF {self.read} OR DELETE ON {self.rows}
FOR EACH ROW EXECUTE FUNCTION {self.triggers[self.rows]}()""",
        ]
        for name, (link, column) in self.links.items():
            trigger = self.triggers[link]
            statements.append(
                f"""CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  {row} RECORD;
  change integer := -1;
BEGIN
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND TG_WHEN = 'AFTER') THEN
    link := NEW;
    change := 1;
  ELSE
    link := OLD;
  END IF;
  -- NULL when the setting was never set: not paused.
  IF ({self.paused_sql}) IS NOT TRUE THEN
    -- FOR SHARE waits for a transaction that is changing the row (publishing it, say) and
    -- then reads what it committed; that transaction's own count saw no uncommitted link.
    SELECT id, {self.read} INTO {row} FROM {self.rows} WHERE id = link.{row}_id FOR SHARE;
    IF FOUND AND {self.counted(row)} THEN
      PERFORM {self.add_function}(
        {self._arguments(row)}, {self.facets[name]}::smallint, link.{column}, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$"""
            )
            moved = f"OLD.{row}_id <> NEW.{row}_id OR OLD.{column} <> NEW.{column}"
            for when, event in LINK_TRIGGERS.items():
                condition = f" WHEN ({moved})" if when.startswith("update") else ""
                statements.append(
                    f"""CREATE TRIGGER {trigger}_{when} {event} ON {link}
FOR EACH ROW{condition} EXECUTE FUNCTION {trigger}()"""
                )
        return statements

    def uninstall_sql(self):
        statements = [f"DROP TRIGGER IF EXISTS {self.triggers[self.rows]} ON {self.rows}"]
        for link, _column in self.links.values():
            for when in LINK_TRIGGERS:
                statements.append(f"DROP TRIGGER IF EXISTS {self.triggers[link]}_{when} ON {link}")
            statements.append(f"DROP FUNCTION IF EXISTS {self.triggers[link]}()")
        types = ", ".join(["bigint"] * (1 + len(self.values)))
        statements += [
            f"DROP FUNCTION IF EXISTS {self.triggers[self.rows]}()",
            f"DROP FUNCTION IF EXISTS {self.add_function}({types}, smallint, bigint, integer)",
            f"DROP FUNCTION IF EXISTS {self.facets_function}({types})",
            f"DROP STATISTICS IF EXISTS {self.table}_pairs",
        ]
        return statements

    def rebuild_sql(self):
        """Statements counting everything afresh in one pass."""
        facets = [
            f"SELECT id AS {self.row}, {ALL}::smallint AS facet, {ALL}::bigint AS option FROM p"
        ]
        facets += [
            f"SELECT l.{self.row}_id, {self.facets[name]}::smallint, l.{column} FROM {link} l "
            f"JOIN p ON p.id = l.{self.row}_id"
            for name, (link, column) in self.links.items()
        ]
        for name, value in self.values.items():
            part = f"SELECT id, {self.facets[name]}::smallint, {value.sql('p')} FROM p"
            facets.append(part + (f" WHERE {value.sql('p')} IS NOT NULL" if value.nullable else ""))
        union = "\n  UNION ALL ".join(facets)
        return [
            f"DELETE FROM {self.table}",
            f"""WITH p AS (SELECT id, {self.read} FROM {self.rows} WHERE {self.counted(None)}),
f AS (
  {union}
)
INSERT INTO {self.table} (facet_a, option_a, facet_b, option_b, n)
SELECT a.facet, a.option, b.facet, b.option, count(*)
FROM f a JOIN f b ON a.{self.row} = b.{self.row}
WHERE a.facet = {ALL} OR a.facet <> b.facet
GROUP BY 1, 2, 3, 4""",
            # Fresh statistics, or the planner guesses at the top of a large facet.
            f"ANALYZE {self.table}",
        ]

    def rebuild(self, cursor=None):
        """Count everything afresh (after writes with the triggers paused)."""
        with connection.cursor() as own_cursor:
            cursor = cursor or own_cursor
            first, insert, analyze = self.rebuild_sql()
            cursor.execute(first)
            # Room for the pairs' hash in memory (at a million articles, some 60 million
            # pairs are grouped); for this transaction only, and only inside one (seed_demo's).
            if not connection.get_autocommit():
                cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute(insert)
            cursor.execute(analyze)


@contextmanager
def paused(*kept):
    """Bulk writes (seed_demo) without the triggers' work, then one recount of each of
    ``kept`` (KeptCounts): far faster.

    Yields ``pause``: called in a transaction, it stops the triggers for the rest of that
    transaction only, in whichever connection runs it (a bulk load writes from several).
    Behind PgBouncer in transaction pooling a session's setting would stay on a server
    connection that other clients get next (their writes would not be counted). The recount
    runs at the end even after a failure, as the writes committed so far are kept.
    """

    def pause():
        assert connection.in_atomic_block, "a pause lasts one transaction: call it in one"
        with connection.cursor() as cursor:
            for counts in kept:
                cursor.execute("SELECT set_config(%s, 'on', true)", [counts.pause_setting])

    if not is_kept():
        yield lambda: None
        return
    try:
        yield pause
    finally:
        with transaction.atomic(), connection.cursor() as cursor:
            for counts in kept:
                # Off again, for a caller whose one transaction held the pause (a test's).
                cursor.execute("SELECT set_config(%s, 'off', true)", [counts.pause_setting])
                counts.rebuild(cursor)
