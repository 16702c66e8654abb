"""Today's news facet counts on PostgreSQL: the park facet, statistics on the common pairs,
fresh statistics after a recount, and the index that reads the top of a large facet in order.

news/facet_counts.py gained these after 0006 had been applied, and 0006 itself was edited to
add the index, so a database migrated before then kept the first triggers (no park counts) and
lacked the index. This migration installs them whatever the database had: the triggers and
functions are dropped and made again, the index and statistics made where missing, and every
count recomputed. Its SQL is frozen here, as news/facet_counts.py wrote it when this was made;
the system check news.E001 (news/checks.py) compares a database with what the code expects.
"""

from importlib import import_module

from django.db import migrations, models

# Backward, the functions and triggers 0006 installs, and its recount: its own frozen SQL.
FIRST = import_module("news.migrations.0006_article_facet_counts")

# Every trigger and function of any version (IF EXISTS: a database may have either).
UNINSTALL = [
    "DROP TRIGGER IF EXISTS news_article_facet_counts ON news_article",
    """DROP TRIGGER IF EXISTS news_article_clusters_facet_counts_insert ON news_article_clusters""",
    """DROP TRIGGER IF EXISTS news_article_clusters_facet_counts_delete ON news_article_clusters""",
    "DROP FUNCTION IF EXISTS news_article_clusters_facet_counts()",
    """DROP TRIGGER IF EXISTS news_article_directions_facet_counts_insert ON news_article_directions""",
    """DROP TRIGGER IF EXISTS news_article_directions_facet_counts_delete ON news_article_directions""",
    "DROP FUNCTION IF EXISTS news_article_directions_facet_counts()",
    """DROP TRIGGER IF EXISTS news_article_projects_facet_counts_insert ON news_article_projects""",
    """DROP TRIGGER IF EXISTS news_article_projects_facet_counts_delete ON news_article_projects""",
    "DROP FUNCTION IF EXISTS news_article_projects_facet_counts()",
    """DROP TRIGGER IF EXISTS news_article_stakeholders_facet_counts_insert ON news_article_stakeholders""",
    """DROP TRIGGER IF EXISTS news_article_stakeholders_facet_counts_delete ON news_article_stakeholders""",
    "DROP FUNCTION IF EXISTS news_article_stakeholders_facet_counts()",
    "DROP TRIGGER IF EXISTS news_article_parks_facet_counts_insert ON news_article_parks",
    "DROP TRIGGER IF EXISTS news_article_parks_facet_counts_delete ON news_article_parks",
    "DROP FUNCTION IF EXISTS news_article_parks_facet_counts()",
    "DROP FUNCTION IF EXISTS news_article_facet_counts()",
    """DROP FUNCTION IF EXISTS news_facet_counts_add(bigint, bigint, smallint, bigint, integer)""",
    "DROP FUNCTION IF EXISTS news_article_facets(bigint, bigint)",
    "DROP STATISTICS IF EXISTS news_articlefacetcount_pairs",
]

INSTALL = [
    """CREATE STATISTICS IF NOT EXISTS news_articlefacetcount_pairs (mcv) ON facet_a, option_a, facet_b FROM news_articlefacetcount""",
    """CREATE OR REPLACE FUNCTION news_article_facets(article bigint, year bigint)
RETURNS TABLE (facet smallint, option bigint) LANGUAGE sql STABLE AS $$
  SELECT 0::smallint, 0::bigint
  UNION ALL SELECT 1::smallint, cluster_id FROM news_article_clusters WHERE article_id = article
  UNION ALL SELECT 2::smallint, direction_id FROM news_article_directions WHERE article_id = article
  UNION ALL SELECT 3::smallint, project_id FROM news_article_projects WHERE article_id = article
  UNION ALL SELECT 4::smallint, stakeholder_id FROM news_article_stakeholders WHERE article_id = article
  UNION ALL SELECT 6::smallint, park_id FROM news_article_parks WHERE article_id = article
  UNION ALL SELECT 5::smallint, year
$$""",
    """CREATE OR REPLACE FUNCTION news_facet_counts_add(
  article bigint, year bigint, one_facet smallint, one_option bigint, sign integer
) RETURNS void LANGUAGE sql AS $$
  INSERT INTO news_articlefacetcount AS kept (facet_a, option_a, facet_b, option_b, n)
  SELECT a.facet, a.option, b.facet, b.option, sum(sign)
  FROM news_article_facets(article, year) a, news_article_facets(article, year) b
  WHERE (a.facet = 0 OR a.facet <> b.facet)
    AND (one_facet IS NULL OR (a.facet = one_facet AND a.option = one_option)
         OR (b.facet = one_facet AND b.option = one_option))
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (facet_a, option_a, facet_b, option_b) DO UPDATE SET n = kept.n + excluded.n
$$""",
    """CREATE OR REPLACE FUNCTION news_article_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('inotomsk.facet_counts_paused', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' AND (
    TG_OP = 'DELETE' OR NEW.status IS DISTINCT FROM OLD.status
    OR extract(year FROM NEW.published_at AT TIME ZONE 'Asia/Tomsk')::bigint <> extract(year FROM OLD.published_at AT TIME ZONE 'Asia/Tomsk')::bigint
  ) THEN
    PERFORM news_facet_counts_add(OLD.id, extract(year FROM OLD.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, NULL, NULL, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' AND (
    TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status
    OR extract(year FROM NEW.published_at AT TIME ZONE 'Asia/Tomsk')::bigint <> extract(year FROM OLD.published_at AT TIME ZONE 'Asia/Tomsk')::bigint
  ) THEN
    PERFORM news_facet_counts_add(NEW.id, extract(year FROM NEW.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, NULL, NULL, 1);
  END IF;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER news_article_facet_counts
AFTER INSERT OR UPDATE OF status, published_at OR DELETE ON news_article
FOR EACH ROW EXECUTE FUNCTION news_article_facet_counts()""",
    """CREATE OR REPLACE FUNCTION news_article_clusters_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  article RECORD;
BEGIN
  IF TG_OP = 'INSERT' THEN link := NEW; ELSE link := OLD; END IF;
  IF current_setting('inotomsk.facet_counts_paused', true) = 'on' THEN RETURN link; END IF;
  SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id;
  IF FOUND AND article.status = 'published' THEN
    PERFORM news_facet_counts_add(
      article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 1::smallint, link.cluster_id,
      CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END
    );
  END IF;
  IF TG_OP = 'INSERT' THEN RETURN NULL; END IF;
  RETURN OLD;
END $$""",
    """CREATE TRIGGER news_article_clusters_facet_counts_insert AFTER INSERT ON news_article_clusters
FOR EACH ROW EXECUTE FUNCTION news_article_clusters_facet_counts()""",
    """CREATE TRIGGER news_article_clusters_facet_counts_delete BEFORE DELETE ON news_article_clusters
FOR EACH ROW EXECUTE FUNCTION news_article_clusters_facet_counts()""",
    """CREATE OR REPLACE FUNCTION news_article_directions_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  article RECORD;
BEGIN
  IF TG_OP = 'INSERT' THEN link := NEW; ELSE link := OLD; END IF;
  IF current_setting('inotomsk.facet_counts_paused', true) = 'on' THEN RETURN link; END IF;
  SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id;
  IF FOUND AND article.status = 'published' THEN
    PERFORM news_facet_counts_add(
      article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 2::smallint, link.direction_id,
      CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END
    );
  END IF;
  IF TG_OP = 'INSERT' THEN RETURN NULL; END IF;
  RETURN OLD;
END $$""",
    """CREATE TRIGGER news_article_directions_facet_counts_insert AFTER INSERT ON news_article_directions
FOR EACH ROW EXECUTE FUNCTION news_article_directions_facet_counts()""",
    """CREATE TRIGGER news_article_directions_facet_counts_delete BEFORE DELETE ON news_article_directions
FOR EACH ROW EXECUTE FUNCTION news_article_directions_facet_counts()""",
    """CREATE OR REPLACE FUNCTION news_article_projects_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  article RECORD;
BEGIN
  IF TG_OP = 'INSERT' THEN link := NEW; ELSE link := OLD; END IF;
  IF current_setting('inotomsk.facet_counts_paused', true) = 'on' THEN RETURN link; END IF;
  SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id;
  IF FOUND AND article.status = 'published' THEN
    PERFORM news_facet_counts_add(
      article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 3::smallint, link.project_id,
      CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END
    );
  END IF;
  IF TG_OP = 'INSERT' THEN RETURN NULL; END IF;
  RETURN OLD;
END $$""",
    """CREATE TRIGGER news_article_projects_facet_counts_insert AFTER INSERT ON news_article_projects
FOR EACH ROW EXECUTE FUNCTION news_article_projects_facet_counts()""",
    """CREATE TRIGGER news_article_projects_facet_counts_delete BEFORE DELETE ON news_article_projects
FOR EACH ROW EXECUTE FUNCTION news_article_projects_facet_counts()""",
    """CREATE OR REPLACE FUNCTION news_article_stakeholders_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  article RECORD;
BEGIN
  IF TG_OP = 'INSERT' THEN link := NEW; ELSE link := OLD; END IF;
  IF current_setting('inotomsk.facet_counts_paused', true) = 'on' THEN RETURN link; END IF;
  SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id;
  IF FOUND AND article.status = 'published' THEN
    PERFORM news_facet_counts_add(
      article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 4::smallint, link.stakeholder_id,
      CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END
    );
  END IF;
  IF TG_OP = 'INSERT' THEN RETURN NULL; END IF;
  RETURN OLD;
END $$""",
    """CREATE TRIGGER news_article_stakeholders_facet_counts_insert AFTER INSERT ON news_article_stakeholders
FOR EACH ROW EXECUTE FUNCTION news_article_stakeholders_facet_counts()""",
    """CREATE TRIGGER news_article_stakeholders_facet_counts_delete BEFORE DELETE ON news_article_stakeholders
FOR EACH ROW EXECUTE FUNCTION news_article_stakeholders_facet_counts()""",
    """CREATE OR REPLACE FUNCTION news_article_parks_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  article RECORD;
BEGIN
  IF TG_OP = 'INSERT' THEN link := NEW; ELSE link := OLD; END IF;
  IF current_setting('inotomsk.facet_counts_paused', true) = 'on' THEN RETURN link; END IF;
  SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id;
  IF FOUND AND article.status = 'published' THEN
    PERFORM news_facet_counts_add(
      article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 6::smallint, link.park_id,
      CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END
    );
  END IF;
  IF TG_OP = 'INSERT' THEN RETURN NULL; END IF;
  RETURN OLD;
END $$""",
    """CREATE TRIGGER news_article_parks_facet_counts_insert AFTER INSERT ON news_article_parks
FOR EACH ROW EXECUTE FUNCTION news_article_parks_facet_counts()""",
    """CREATE TRIGGER news_article_parks_facet_counts_delete BEFORE DELETE ON news_article_parks
FOR EACH ROW EXECUTE FUNCTION news_article_parks_facet_counts()""",
]

# Count everything afresh in one pass, then fresh statistics for the planner.
REBUILD = [
    "DELETE FROM news_articlefacetcount",
    """
WITH p AS (SELECT id, published_at FROM news_article WHERE status = 'published'),
f AS (
  SELECT id AS article, 0::smallint AS facet, 0::bigint AS option FROM p
  UNION ALL SELECT l.article_id, 1::smallint, l.cluster_id FROM news_article_clusters l JOIN p ON p.id = l.article_id
  UNION ALL SELECT l.article_id, 2::smallint, l.direction_id FROM news_article_directions l JOIN p ON p.id = l.article_id
  UNION ALL SELECT l.article_id, 3::smallint, l.project_id FROM news_article_projects l JOIN p ON p.id = l.article_id
  UNION ALL SELECT l.article_id, 4::smallint, l.stakeholder_id FROM news_article_stakeholders l JOIN p ON p.id = l.article_id
  UNION ALL SELECT l.article_id, 6::smallint, l.park_id FROM news_article_parks l JOIN p ON p.id = l.article_id
  UNION ALL SELECT id, 5::smallint, extract(year FROM p.published_at AT TIME ZONE 'Asia/Tomsk')::bigint FROM p
)
INSERT INTO news_articlefacetcount (facet_a, option_a, facet_b, option_b, n)
SELECT a.facet, a.option, b.facet, b.option, count(*)
FROM f a JOIN f b ON a.article = b.article
WHERE a.facet = 0 OR a.facet <> b.facet
GROUP BY 1, 2, 3, 4""",
    "ANALYZE news_articlefacetcount",
]

INDEX = (
    'CREATE INDEX IF NOT EXISTS "article_facet_top" ON "news_articlefacetcount" '
    '("facet_a", "option_a", "facet_b", "n" DESC)'
)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in UNINSTALL + INSTALL + REBUILD:
        schema_editor.execute(statement)


def back_to_0006(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in UNINSTALL + FIRST.INSTALL + FIRST.REBUILD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("news", "0012_publication_time_when_published")]

    operations = [
        # Databases migrated after 0006 was edited have the index already.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="articlefacetcount",
                    index=models.Index(
                        models.F("facet_a"),
                        models.F("option_a"),
                        models.F("facet_b"),
                        models.OrderBy(models.F("n"), descending=True),
                        name="article_facet_top",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(INDEX, 'DROP INDEX IF EXISTS "article_facet_top"'),
            ],
        ),
        migrations.RunPython(install, back_to_0006),
    ]
