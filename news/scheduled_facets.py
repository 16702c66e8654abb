"""The facets of the articles scheduled ahead, kept by PostgreSQL triggers beside the kept
counts (``news.facet_counts``).

The kept counts count every article marked published, those whose time has not come too; a
list takes those off when it reads them (``public.listing.kept.scheduled_pairs``). Reading
their facets from the five link tables cost five index lookups per article: 31 ms on every
unfiltered /news/ list for the 2,002 articles a million demo ones schedule. The table of
``ScheduledArticleFacet`` holds, for each article marked published whose time was ahead when
it or a link of it was written, every (facet, option) it has, with its time; the list reads
the rows whose time is still ahead, by one index.

Triggers on the articles and their link tables write it in the same transaction as the row,
and pause with the kept counts (``portal.kept_counts.paused``), whose recount rebuilds it
(``ARTICLES.rebuild``). Rows whose time has passed stay until the article is written again or
the table rebuilt (``seed_demo``): reads skip them, by the index on the time.
"""

TABLE = "news_scheduledarticlefacet"
ARTICLE_TRIGGER = "news_article_scheduled_facets"

# Each function takes the articles' KeptCounts (news.facet_counts.ARTICLES), which adds what
# they return to its own SQL: its facets, link tables, counted rows and pause.


def _paused(kept):
    # While the kept counts pause (bulk loads), so does this table; their recount rebuilds it.
    return f"({kept.paused_sql}) IS TRUE"


def is_ahead(kept, row):
    """SQL: the article ``row`` is counted (marked published) and its time is still ahead.

    The clock, not the transaction's start (``now()``): an article published "now" in a
    transaction that began a moment earlier (the admin's form) would otherwise look ahead. A
    row that is not kept then was due before any later read."""
    return f"{kept.counted(row)} AND {row}.published_at > clock_timestamp()"


def _pairs_of(kept, row):
    values = [value.sql(row) for value in kept.values.values()]
    return f"{kept.facets_function}({', '.join([f'{row}.id', *values])})"


def link_trigger(link):
    return f"{link}_scheduled_facets"


def install_sql(kept):
    """Statements creating the trigger functions and triggers that keep the table."""
    statements = [
        f"""CREATE OR REPLACE FUNCTION {ARTICLE_TRIGGER}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF {_paused(kept)} THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM {TABLE} WHERE article_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' AND {is_ahead(kept, "NEW")} THEN
    INSERT INTO {TABLE} (article_id, published_at, facet, option)
    SELECT NEW.id, NEW.published_at, f.facet, f.option FROM {_pairs_of(kept, "NEW")} f;
  END IF;
  RETURN NULL;
END $$""",
        f"""CREATE TRIGGER {ARTICLE_TRIGGER}
AFTER INSERT OR UPDATE OF {kept.read} OR DELETE ON {kept.rows}
FOR EACH ROW EXECUTE FUNCTION {ARTICLE_TRIGGER}()""",
    ]
    for name, (link, column) in kept.links.items():
        trigger = link_trigger(link)
        statements += [
            f"""CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF {_paused(kept)} THEN RETURN NULL; END IF;
  -- FOR SHARE waits for a transaction that is changing the article (scheduling it, say):
  -- the statements after it then see what that one committed, as in the kept counts' triggers.
  IF TG_OP <> 'INSERT' THEN
    PERFORM 1 FROM {kept.rows} WHERE id = OLD.article_id FOR SHARE;
    DELETE FROM {TABLE}
    WHERE article_id = OLD.article_id AND facet = {kept.facets[name]} AND option = OLD.{column};
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO {TABLE} (article_id, published_at, facet, option)
    SELECT a.id, a.published_at, {kept.facets[name]}, NEW.{column}
    FROM (SELECT id, {kept.read} FROM {kept.rows} WHERE id = NEW.article_id FOR SHARE) a
    WHERE {is_ahead(kept, "a")};
  END IF;
  RETURN NULL;
END $$""",
            f"""CREATE TRIGGER {trigger}
AFTER INSERT OR UPDATE OR DELETE ON {link}
FOR EACH ROW EXECUTE FUNCTION {trigger}()""",
        ]
    return statements


def uninstall_sql(kept):
    statements = [f"DROP TRIGGER IF EXISTS {ARTICLE_TRIGGER} ON {kept.rows}"]
    statements += [f"DROP FUNCTION IF EXISTS {ARTICLE_TRIGGER}()"]
    for link, _column in kept.links.values():
        statements += [f"DROP TRIGGER IF EXISTS {link_trigger(link)} ON {link}"]
        statements += [f"DROP FUNCTION IF EXISTS {link_trigger(link)}()"]
    return statements


def trigger_names(kept):
    """{(table, trigger)} of every trigger installed."""
    names = {(kept.rows, ARTICLE_TRIGGER)}
    return names | {(link, link_trigger(link)) for link, _column in kept.links.values()}


def rebuild_sql(kept):
    """Statements writing the table afresh from the articles and their links, in one
    transaction. The lock keeps the triggers of other transactions waiting until it commits:
    rows one of them wrote between the DELETE and the INSERT would be kept twice."""
    return [
        f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE",
        f"DELETE FROM {TABLE}",
        f"""INSERT INTO {TABLE} (article_id, published_at, facet, option)
SELECT a.id, a.published_at, f.facet, f.option
FROM {kept.rows} a, LATERAL {_pairs_of(kept, "a")} f
WHERE {is_ahead(kept, "a")}""",
        f"ANALYZE {TABLE}",
    ]
