"""The table of kept news facet counts, and the PostgreSQL triggers that keep it: the
installer. Lists read it through ``public.listing.kept``.

``ArticleFacetCount`` holds, for the articles marked published, how many have option B of one
facet (a cluster, direction, project, stakeholder or year) among those with option A of
another: the counts of the unfiltered list (A is ``ALL``) and of every single-filter list, its
number of results included (B is ``ALL``). On PostgreSQL, triggers on the articles and their
link tables keep it current with every write, bulk ones included, in the same transaction.
Articles marked published whose time has not come yet are counted too; the few of them are
taken off when the counts are read (``public.listing.kept.scheduled_pairs``).

Other databases keep no table: the public pages count there as they always did.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction

from .models import Article

ALL = 0
# Facet codes in the table; the filter names of /news/.
FACETS = {"cluster": 1, "direction": 2, "project": 3, "stakeholder": 4, "year": 5, "park": 6}
LINK_TABLES = {
    "cluster": ("news_article_clusters", "cluster_id"),
    "direction": ("news_article_directions", "direction_id"),
    "project": ("news_article_projects", "project_id"),
    "stakeholder": ("news_article_stakeholders", "stakeholder_id"),
    "park": ("news_article_parks", "park_id"),
}
TABLE = "news_articlefacetcount"
# While this setting of the transaction is "on", the triggers leave the table alone (paused()).
PAUSE_SETTING = "inotomsk.facet_counts_paused"
PAUSED = f"current_setting('{PAUSE_SETTING}', true) = 'on'"
TRIGGERS = {  # table: trigger
    "news_article": "news_article_facet_counts",
    **{table: f"{table}_facet_counts" for table, _column in LINK_TABLES.values()},
}


def is_kept():
    return connection.vendor == "postgresql"


def year_sql(row):
    """SQL: the year of the article ``row``'s publication time, in the site's zone."""
    return f"extract(year FROM {row}.published_at AT TIME ZONE '{settings.TIME_ZONE}')::bigint"


def counted_sql(row=None):
    """SQL: the article ``row`` is counted, being marked published (``Article.public_rule``:
    one whose time has not come is taken off when the counts are read)."""
    column = f"{row}.status" if row else "status"
    return f"{column} = '{Article.public_rule['status']}'"


def install_sql():
    """Statements creating the functions and triggers that keep the table current."""
    links = "\n".join(
        f"  UNION ALL SELECT {FACETS[name]}::smallint, {column} FROM {table} "
        f"WHERE article_id = article"
        for name, (table, column) in LINK_TABLES.items()
    )
    statements = [
        # Which (facet, option) pairs are common, so that the planner reads the top of a
        # large facet in the order of the index instead of sorting all of it.
        f"CREATE STATISTICS IF NOT EXISTS news_articlefacetcount_pairs (mcv) "
        f"ON facet_a, option_a, facet_b FROM {TABLE}",
        # Every facet option of one article, ALL included.
        f"""CREATE OR REPLACE FUNCTION news_article_facets(article bigint, year bigint)
RETURNS TABLE (facet smallint, option bigint) LANGUAGE sql STABLE AS $$
  SELECT {ALL}::smallint, {ALL}::bigint
{links}
  UNION ALL SELECT {FACETS["year"]}::smallint, year
$$""",
        # Add ``sign`` to every pair of the article, or only to the pairs of one option.
        f"""CREATE OR REPLACE FUNCTION news_facet_counts_add(
  article bigint, year bigint, one_facet smallint, one_option bigint, sign integer
) RETURNS void LANGUAGE sql AS $$
  INSERT INTO {TABLE} AS kept (facet_a, option_a, facet_b, option_b, n)
  SELECT a.facet, a.option, b.facet, b.option, sum(sign)
  FROM news_article_facets(article, year) a, news_article_facets(article, year) b
  WHERE (a.facet = {ALL} OR a.facet <> b.facet)
    AND (one_facet IS NULL OR (a.facet = one_facet AND a.option = one_option)
         OR (b.facet = one_facet AND b.option = one_option))
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (facet_a, option_a, facet_b, option_b) DO UPDATE SET n = kept.n + excluded.n
$$""",
        f"""CREATE OR REPLACE FUNCTION news_article_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF {PAUSED} THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND {counted_sql("OLD")} AND (
    TG_OP = 'DELETE' OR NEW.status IS DISTINCT FROM OLD.status
    OR {year_sql("NEW")} <> {year_sql("OLD")}
  ) THEN
    PERFORM news_facet_counts_add(OLD.id, {year_sql("OLD")}, NULL, NULL, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND {counted_sql("NEW")} AND (
    TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status
    OR {year_sql("NEW")} <> {year_sql("OLD")}
  ) THEN
    PERFORM news_facet_counts_add(NEW.id, {year_sql("NEW")}, NULL, NULL, 1);
  END IF;
  RETURN NULL;
END $$""",
        """CREATE TRIGGER news_article_facet_counts
AFTER INSERT OR UPDATE OF status, published_at OR DELETE ON news_article
FOR EACH ROW EXECUTE FUNCTION news_article_facet_counts()""",
    ]
    for name, (table, column) in LINK_TABLES.items():
        # A link counts while it exists: added after its insert, taken off before its delete.
        statements += [
            f"""CREATE OR REPLACE FUNCTION {TRIGGERS[table]}() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  article RECORD;
BEGIN
  IF TG_OP = 'INSERT' THEN link := NEW; ELSE link := OLD; END IF;
  IF {PAUSED} THEN RETURN link; END IF;
  SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id;
  IF FOUND AND {counted_sql("article")} THEN
    PERFORM news_facet_counts_add(
      article.id, {year_sql("article")}, {FACETS[name]}::smallint, link.{column},
      CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END
    );
  END IF;
  IF TG_OP = 'INSERT' THEN RETURN NULL; END IF;
  RETURN OLD;
END $$""",
            f"""CREATE TRIGGER {TRIGGERS[table]}_insert AFTER INSERT ON {table}
FOR EACH ROW EXECUTE FUNCTION {TRIGGERS[table]}()""",
            f"""CREATE TRIGGER {TRIGGERS[table]}_delete BEFORE DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {TRIGGERS[table]}()""",
        ]
    return statements


def uninstall_sql():
    statements = ["DROP TRIGGER IF EXISTS news_article_facet_counts ON news_article"]
    for table, _column in LINK_TABLES.values():
        for when in ("insert", "delete"):
            statements.append(f"DROP TRIGGER IF EXISTS {TRIGGERS[table]}_{when} ON {table}")
        statements.append(f"DROP FUNCTION IF EXISTS {TRIGGERS[table]}()")
    statements += [
        "DROP FUNCTION IF EXISTS news_article_facet_counts()",
        "DROP FUNCTION IF EXISTS news_facet_counts_add(bigint, bigint, smallint, bigint, integer)",
        "DROP FUNCTION IF EXISTS news_article_facets(bigint, bigint)",
        "DROP STATISTICS IF EXISTS news_articlefacetcount_pairs",
    ]
    return statements


def rebuild(cursor=None):
    """Count everything afresh in one pass (after writes with the triggers paused)."""
    facets = [f"SELECT id AS article, {ALL}::smallint AS facet, {ALL}::bigint AS option FROM p"]
    facets += [
        f"SELECT l.article_id, {FACETS[name]}::smallint, l.{column} FROM {table} l "
        f"JOIN p ON p.id = l.article_id"
        for name, (table, column) in LINK_TABLES.items()
    ]
    facets.append(f"SELECT id, {FACETS['year']}::smallint, {year_sql('p')} FROM p")
    union = "\n  UNION ALL ".join(facets)
    sql = f"""
WITH p AS (SELECT id, published_at FROM news_article WHERE {counted_sql()}),
f AS (
  {union}
)
INSERT INTO {TABLE} (facet_a, option_a, facet_b, option_b, n)
SELECT a.facet, a.option, b.facet, b.option, count(*)
FROM f a JOIN f b ON a.article = b.article
WHERE a.facet = {ALL} OR a.facet <> b.facet
GROUP BY 1, 2, 3, 4"""
    with connection.cursor() as own_cursor:
        cursor = cursor or own_cursor
        cursor.execute(f"DELETE FROM {TABLE}")
        # Room for the pairs' hash in memory (at a million articles, some 60 million pairs
        # are grouped); for this transaction only, and only inside one (seed_demo's).
        if not connection.get_autocommit():
            cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute(sql)
        # Fresh statistics, or the planner guesses at the top of a large facet.
        cursor.execute(f"ANALYZE {TABLE}")


@contextmanager
def paused():
    """Bulk writes (seed_demo) without the triggers' work, then one recount: far faster.

    One transaction, and the setting is the transaction's own: behind PgBouncer in transaction
    pooling a session's setting would stay on a server connection that other clients get next
    (their writes would not be counted). A failure rolls back the writes with the setting.
    """
    if not is_kept():
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT set_config('{PAUSE_SETTING}', 'on', true)")
        yield
        cursor.execute(f"SELECT set_config('{PAUSE_SETTING}', 'off', true)")
        rebuild(cursor)
