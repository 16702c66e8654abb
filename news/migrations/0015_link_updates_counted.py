"""The news facet counts' link triggers also follow a link changed in place (an update of a
link row: the old option taken off before it, the new one added after), as the projects' do;
each kind of kept counts has its own pause setting. The counts themselves do not change.
The SQL is frozen here, as news/facet_counts.py (through portal/kept_counts.py) wrote it
when this was made; the system check news.E001 (news/checks.py) compares a database with what
the code expects."""

from importlib import import_module

from django.db import migrations

# Backward, the functions and triggers 0013 installs: its own frozen SQL.
EARLIER = import_module("news.migrations.0013_facet_counts_as_today")

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
  change integer := -1;
BEGIN
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND TG_WHEN = 'AFTER') THEN
    link := NEW;
    change := 1;
  ELSE
    link := OLD;
  END IF;
  -- NULL when the setting was never set: not paused.
  IF (current_setting('inotomsk.facet_counts_paused', true) = 'on') IS NOT TRUE THEN
    SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id;
    IF FOUND AND article.status = 'published' THEN
      PERFORM news_facet_counts_add(
        article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 1::smallint, link.cluster_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    """CREATE TRIGGER news_article_clusters_facet_counts_insert AFTER INSERT ON news_article_clusters
FOR EACH ROW EXECUTE FUNCTION news_article_clusters_facet_counts()""",
    """CREATE TRIGGER news_article_clusters_facet_counts_delete BEFORE DELETE ON news_article_clusters
FOR EACH ROW EXECUTE FUNCTION news_article_clusters_facet_counts()""",
    """CREATE TRIGGER news_article_clusters_facet_counts_update_before BEFORE UPDATE ON news_article_clusters
FOR EACH ROW WHEN (OLD.article_id <> NEW.article_id OR OLD.cluster_id <> NEW.cluster_id) EXECUTE FUNCTION news_article_clusters_facet_counts()""",
    """CREATE TRIGGER news_article_clusters_facet_counts_update_after AFTER UPDATE ON news_article_clusters
FOR EACH ROW WHEN (OLD.article_id <> NEW.article_id OR OLD.cluster_id <> NEW.cluster_id) EXECUTE FUNCTION news_article_clusters_facet_counts()""",
    """CREATE OR REPLACE FUNCTION news_article_directions_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  article RECORD;
  change integer := -1;
BEGIN
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND TG_WHEN = 'AFTER') THEN
    link := NEW;
    change := 1;
  ELSE
    link := OLD;
  END IF;
  -- NULL when the setting was never set: not paused.
  IF (current_setting('inotomsk.facet_counts_paused', true) = 'on') IS NOT TRUE THEN
    SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id;
    IF FOUND AND article.status = 'published' THEN
      PERFORM news_facet_counts_add(
        article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 2::smallint, link.direction_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    """CREATE TRIGGER news_article_directions_facet_counts_insert AFTER INSERT ON news_article_directions
FOR EACH ROW EXECUTE FUNCTION news_article_directions_facet_counts()""",
    """CREATE TRIGGER news_article_directions_facet_counts_delete BEFORE DELETE ON news_article_directions
FOR EACH ROW EXECUTE FUNCTION news_article_directions_facet_counts()""",
    """CREATE TRIGGER news_article_directions_facet_counts_update_before BEFORE UPDATE ON news_article_directions
FOR EACH ROW WHEN (OLD.article_id <> NEW.article_id OR OLD.direction_id <> NEW.direction_id) EXECUTE FUNCTION news_article_directions_facet_counts()""",
    """CREATE TRIGGER news_article_directions_facet_counts_update_after AFTER UPDATE ON news_article_directions
FOR EACH ROW WHEN (OLD.article_id <> NEW.article_id OR OLD.direction_id <> NEW.direction_id) EXECUTE FUNCTION news_article_directions_facet_counts()""",
    """CREATE OR REPLACE FUNCTION news_article_projects_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  article RECORD;
  change integer := -1;
BEGIN
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND TG_WHEN = 'AFTER') THEN
    link := NEW;
    change := 1;
  ELSE
    link := OLD;
  END IF;
  -- NULL when the setting was never set: not paused.
  IF (current_setting('inotomsk.facet_counts_paused', true) = 'on') IS NOT TRUE THEN
    SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id;
    IF FOUND AND article.status = 'published' THEN
      PERFORM news_facet_counts_add(
        article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 3::smallint, link.project_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    """CREATE TRIGGER news_article_projects_facet_counts_insert AFTER INSERT ON news_article_projects
FOR EACH ROW EXECUTE FUNCTION news_article_projects_facet_counts()""",
    """CREATE TRIGGER news_article_projects_facet_counts_delete BEFORE DELETE ON news_article_projects
FOR EACH ROW EXECUTE FUNCTION news_article_projects_facet_counts()""",
    """CREATE TRIGGER news_article_projects_facet_counts_update_before BEFORE UPDATE ON news_article_projects
FOR EACH ROW WHEN (OLD.article_id <> NEW.article_id OR OLD.project_id <> NEW.project_id) EXECUTE FUNCTION news_article_projects_facet_counts()""",
    """CREATE TRIGGER news_article_projects_facet_counts_update_after AFTER UPDATE ON news_article_projects
FOR EACH ROW WHEN (OLD.article_id <> NEW.article_id OR OLD.project_id <> NEW.project_id) EXECUTE FUNCTION news_article_projects_facet_counts()""",
    """CREATE OR REPLACE FUNCTION news_article_stakeholders_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  article RECORD;
  change integer := -1;
BEGIN
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND TG_WHEN = 'AFTER') THEN
    link := NEW;
    change := 1;
  ELSE
    link := OLD;
  END IF;
  -- NULL when the setting was never set: not paused.
  IF (current_setting('inotomsk.facet_counts_paused', true) = 'on') IS NOT TRUE THEN
    SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id;
    IF FOUND AND article.status = 'published' THEN
      PERFORM news_facet_counts_add(
        article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 4::smallint, link.stakeholder_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    """CREATE TRIGGER news_article_stakeholders_facet_counts_insert AFTER INSERT ON news_article_stakeholders
FOR EACH ROW EXECUTE FUNCTION news_article_stakeholders_facet_counts()""",
    """CREATE TRIGGER news_article_stakeholders_facet_counts_delete BEFORE DELETE ON news_article_stakeholders
FOR EACH ROW EXECUTE FUNCTION news_article_stakeholders_facet_counts()""",
    """CREATE TRIGGER news_article_stakeholders_facet_counts_update_before BEFORE UPDATE ON news_article_stakeholders
FOR EACH ROW WHEN (OLD.article_id <> NEW.article_id OR OLD.stakeholder_id <> NEW.stakeholder_id) EXECUTE FUNCTION news_article_stakeholders_facet_counts()""",
    """CREATE TRIGGER news_article_stakeholders_facet_counts_update_after AFTER UPDATE ON news_article_stakeholders
FOR EACH ROW WHEN (OLD.article_id <> NEW.article_id OR OLD.stakeholder_id <> NEW.stakeholder_id) EXECUTE FUNCTION news_article_stakeholders_facet_counts()""",
    """CREATE OR REPLACE FUNCTION news_article_parks_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  article RECORD;
  change integer := -1;
BEGIN
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND TG_WHEN = 'AFTER') THEN
    link := NEW;
    change := 1;
  ELSE
    link := OLD;
  END IF;
  -- NULL when the setting was never set: not paused.
  IF (current_setting('inotomsk.facet_counts_paused', true) = 'on') IS NOT TRUE THEN
    SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id;
    IF FOUND AND article.status = 'published' THEN
      PERFORM news_facet_counts_add(
        article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 6::smallint, link.park_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    """CREATE TRIGGER news_article_parks_facet_counts_insert AFTER INSERT ON news_article_parks
FOR EACH ROW EXECUTE FUNCTION news_article_parks_facet_counts()""",
    """CREATE TRIGGER news_article_parks_facet_counts_delete BEFORE DELETE ON news_article_parks
FOR EACH ROW EXECUTE FUNCTION news_article_parks_facet_counts()""",
    """CREATE TRIGGER news_article_parks_facet_counts_update_before BEFORE UPDATE ON news_article_parks
FOR EACH ROW WHEN (OLD.article_id <> NEW.article_id OR OLD.park_id <> NEW.park_id) EXECUTE FUNCTION news_article_parks_facet_counts()""",
    """CREATE TRIGGER news_article_parks_facet_counts_update_after AFTER UPDATE ON news_article_parks
FOR EACH ROW WHEN (OLD.article_id <> NEW.article_id OR OLD.park_id <> NEW.park_id) EXECUTE FUNCTION news_article_parks_facet_counts()""",
]

UNINSTALL = [
    """DROP TRIGGER IF EXISTS news_article_facet_counts ON news_article""",
    """DROP TRIGGER IF EXISTS news_article_clusters_facet_counts_insert ON news_article_clusters""",
    """DROP TRIGGER IF EXISTS news_article_clusters_facet_counts_delete ON news_article_clusters""",
    """DROP TRIGGER IF EXISTS news_article_clusters_facet_counts_update_before ON news_article_clusters""",
    """DROP TRIGGER IF EXISTS news_article_clusters_facet_counts_update_after ON news_article_clusters""",
    """DROP FUNCTION IF EXISTS news_article_clusters_facet_counts()""",
    """DROP TRIGGER IF EXISTS news_article_directions_facet_counts_insert ON news_article_directions""",
    """DROP TRIGGER IF EXISTS news_article_directions_facet_counts_delete ON news_article_directions""",
    """DROP TRIGGER IF EXISTS news_article_directions_facet_counts_update_before ON news_article_directions""",
    """DROP TRIGGER IF EXISTS news_article_directions_facet_counts_update_after ON news_article_directions""",
    """DROP FUNCTION IF EXISTS news_article_directions_facet_counts()""",
    """DROP TRIGGER IF EXISTS news_article_projects_facet_counts_insert ON news_article_projects""",
    """DROP TRIGGER IF EXISTS news_article_projects_facet_counts_delete ON news_article_projects""",
    """DROP TRIGGER IF EXISTS news_article_projects_facet_counts_update_before ON news_article_projects""",
    """DROP TRIGGER IF EXISTS news_article_projects_facet_counts_update_after ON news_article_projects""",
    """DROP FUNCTION IF EXISTS news_article_projects_facet_counts()""",
    """DROP TRIGGER IF EXISTS news_article_stakeholders_facet_counts_insert ON news_article_stakeholders""",
    """DROP TRIGGER IF EXISTS news_article_stakeholders_facet_counts_delete ON news_article_stakeholders""",
    """DROP TRIGGER IF EXISTS news_article_stakeholders_facet_counts_update_before ON news_article_stakeholders""",
    """DROP TRIGGER IF EXISTS news_article_stakeholders_facet_counts_update_after ON news_article_stakeholders""",
    """DROP FUNCTION IF EXISTS news_article_stakeholders_facet_counts()""",
    """DROP TRIGGER IF EXISTS news_article_parks_facet_counts_insert ON news_article_parks""",
    """DROP TRIGGER IF EXISTS news_article_parks_facet_counts_delete ON news_article_parks""",
    """DROP TRIGGER IF EXISTS news_article_parks_facet_counts_update_before ON news_article_parks""",
    """DROP TRIGGER IF EXISTS news_article_parks_facet_counts_update_after ON news_article_parks""",
    """DROP FUNCTION IF EXISTS news_article_parks_facet_counts()""",
    """DROP FUNCTION IF EXISTS news_article_facet_counts()""",
    """DROP FUNCTION IF EXISTS news_facet_counts_add(bigint, bigint, smallint, bigint, integer)""",
    """DROP FUNCTION IF EXISTS news_article_facets(bigint, bigint)""",
    """DROP STATISTICS IF EXISTS news_articlefacetcount_pairs""",
]


# The statistics on the common pairs are made again with the rest: they are empty until
# analysed, and without them the planner sorts all of a large facet (92 ms instead of 1).
ANALYZE = "ANALYZE news_articlefacetcount"


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [*UNINSTALL, *INSTALL, ANALYZE]:
        schema_editor.execute(statement)


def back_to_0013(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [*UNINSTALL, *EARLIER.INSTALL, ANALYZE]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("news", "0014_database_without_jit")]

    operations = [migrations.RunPython(install, back_to_0013)]
