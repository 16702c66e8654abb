"""The facet counts of /projects/ kept by PostgreSQL triggers: the table, and the functions
and triggers that keep it current, with a first count. The SQL is frozen here, as
clusters/project_counts.py (through portal/kept_counts.py) wrote it when this was made; the
system check news.E001 (news/checks.py) compares a database with what the code expects."""

from django.db import migrations, models

INSTALL = [
    """CREATE STATISTICS IF NOT EXISTS clusters_projectfacetcount_pairs (mcv) ON facet_a, option_a, facet_b FROM clusters_projectfacetcount""",
    """CREATE OR REPLACE FUNCTION portal_project_facets(project bigint, direction bigint, status bigint)
RETURNS TABLE (facet smallint, option bigint) LANGUAGE sql STABLE AS $$
  SELECT 0::smallint, 0::bigint
  UNION ALL SELECT 1::smallint, cluster_id FROM clusters_cluster_projects WHERE project_id = project
  UNION ALL SELECT 3::smallint, park_id FROM portal_project_parks WHERE project_id = project
  UNION ALL SELECT 4::smallint, stakeholder_id FROM portal_projectstakeholder WHERE project_id = project
  UNION ALL SELECT 2::smallint, direction WHERE direction IS NOT NULL
  UNION ALL SELECT 5::smallint, status WHERE status IS NOT NULL
$$""",
    """CREATE OR REPLACE FUNCTION portal_project_facet_counts_add(
  project bigint, direction bigint, status bigint, one_facet smallint, one_option bigint, sign integer
) RETURNS void LANGUAGE sql AS $$
  INSERT INTO clusters_projectfacetcount AS kept (facet_a, option_a, facet_b, option_b, n)
  SELECT a.facet, a.option, b.facet, b.option, sum(sign)
  FROM portal_project_facets(project, direction, status) a, portal_project_facets(project, direction, status) b
  WHERE (a.facet = 0 OR a.facet <> b.facet)
    AND (one_facet IS NULL OR (a.facet = one_facet AND a.option = one_option)
         OR (b.facet = one_facet AND b.option = one_option))
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (facet_a, option_a, facet_b, option_b) DO UPDATE SET n = kept.n + excluded.n
$$""",
    """CREATE OR REPLACE FUNCTION portal_project_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('inotomsk.project_counts_paused', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.is_published AND (
    TG_OP = 'DELETE' OR NEW.is_published IS DISTINCT FROM OLD.is_published
    OR NEW.direction_id IS DISTINCT FROM OLD.direction_id
    OR array_position(ARRAY['planned', 'in-progress', 'completed']::text[], NEW.status::text)::bigint IS DISTINCT FROM array_position(ARRAY['planned', 'in-progress', 'completed']::text[], OLD.status::text)::bigint
  ) THEN
    PERFORM portal_project_facet_counts_add(OLD.id, OLD.direction_id, array_position(ARRAY['planned', 'in-progress', 'completed']::text[], OLD.status::text)::bigint, NULL, NULL, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.is_published AND (
    TG_OP = 'INSERT' OR OLD.is_published IS DISTINCT FROM NEW.is_published
    OR NEW.direction_id IS DISTINCT FROM OLD.direction_id
    OR array_position(ARRAY['planned', 'in-progress', 'completed']::text[], NEW.status::text)::bigint IS DISTINCT FROM array_position(ARRAY['planned', 'in-progress', 'completed']::text[], OLD.status::text)::bigint
  ) THEN
    PERFORM portal_project_facet_counts_add(NEW.id, NEW.direction_id, array_position(ARRAY['planned', 'in-progress', 'completed']::text[], NEW.status::text)::bigint, NULL, NULL, 1);
  END IF;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER portal_project_facet_counts
AFTER INSERT OR UPDATE OF is_published, direction_id, status OR DELETE ON portal_project
FOR EACH ROW EXECUTE FUNCTION portal_project_facet_counts()""",
    """CREATE OR REPLACE FUNCTION clusters_cluster_projects_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  project RECORD;
  change integer := -1;
BEGIN
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND TG_WHEN = 'AFTER') THEN
    link := NEW;
    change := 1;
  ELSE
    link := OLD;
  END IF;
  -- NULL when the setting was never set: not paused.
  IF (current_setting('inotomsk.project_counts_paused', true) = 'on') IS NOT TRUE THEN
    SELECT id, is_published, direction_id, status INTO project FROM portal_project WHERE id = link.project_id;
    IF FOUND AND project.is_published THEN
      PERFORM portal_project_facet_counts_add(
        project.id, project.direction_id, array_position(ARRAY['planned', 'in-progress', 'completed']::text[], project.status::text)::bigint, 1::smallint, link.cluster_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    """CREATE TRIGGER clusters_cluster_projects_facet_counts_insert AFTER INSERT ON clusters_cluster_projects
FOR EACH ROW EXECUTE FUNCTION clusters_cluster_projects_facet_counts()""",
    """CREATE TRIGGER clusters_cluster_projects_facet_counts_delete BEFORE DELETE ON clusters_cluster_projects
FOR EACH ROW EXECUTE FUNCTION clusters_cluster_projects_facet_counts()""",
    """CREATE TRIGGER clusters_cluster_projects_facet_counts_update_before BEFORE UPDATE ON clusters_cluster_projects
FOR EACH ROW WHEN (OLD.project_id <> NEW.project_id OR OLD.cluster_id <> NEW.cluster_id) EXECUTE FUNCTION clusters_cluster_projects_facet_counts()""",
    """CREATE TRIGGER clusters_cluster_projects_facet_counts_update_after AFTER UPDATE ON clusters_cluster_projects
FOR EACH ROW WHEN (OLD.project_id <> NEW.project_id OR OLD.cluster_id <> NEW.cluster_id) EXECUTE FUNCTION clusters_cluster_projects_facet_counts()""",
    """CREATE OR REPLACE FUNCTION portal_project_parks_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  project RECORD;
  change integer := -1;
BEGIN
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND TG_WHEN = 'AFTER') THEN
    link := NEW;
    change := 1;
  ELSE
    link := OLD;
  END IF;
  -- NULL when the setting was never set: not paused.
  IF (current_setting('inotomsk.project_counts_paused', true) = 'on') IS NOT TRUE THEN
    SELECT id, is_published, direction_id, status INTO project FROM portal_project WHERE id = link.project_id;
    IF FOUND AND project.is_published THEN
      PERFORM portal_project_facet_counts_add(
        project.id, project.direction_id, array_position(ARRAY['planned', 'in-progress', 'completed']::text[], project.status::text)::bigint, 3::smallint, link.park_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    """CREATE TRIGGER portal_project_parks_facet_counts_insert AFTER INSERT ON portal_project_parks
FOR EACH ROW EXECUTE FUNCTION portal_project_parks_facet_counts()""",
    """CREATE TRIGGER portal_project_parks_facet_counts_delete BEFORE DELETE ON portal_project_parks
FOR EACH ROW EXECUTE FUNCTION portal_project_parks_facet_counts()""",
    """CREATE TRIGGER portal_project_parks_facet_counts_update_before BEFORE UPDATE ON portal_project_parks
FOR EACH ROW WHEN (OLD.project_id <> NEW.project_id OR OLD.park_id <> NEW.park_id) EXECUTE FUNCTION portal_project_parks_facet_counts()""",
    """CREATE TRIGGER portal_project_parks_facet_counts_update_after AFTER UPDATE ON portal_project_parks
FOR EACH ROW WHEN (OLD.project_id <> NEW.project_id OR OLD.park_id <> NEW.park_id) EXECUTE FUNCTION portal_project_parks_facet_counts()""",
    """CREATE OR REPLACE FUNCTION portal_projectstakeholder_facet_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  project RECORD;
  change integer := -1;
BEGIN
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND TG_WHEN = 'AFTER') THEN
    link := NEW;
    change := 1;
  ELSE
    link := OLD;
  END IF;
  -- NULL when the setting was never set: not paused.
  IF (current_setting('inotomsk.project_counts_paused', true) = 'on') IS NOT TRUE THEN
    SELECT id, is_published, direction_id, status INTO project FROM portal_project WHERE id = link.project_id;
    IF FOUND AND project.is_published THEN
      PERFORM portal_project_facet_counts_add(
        project.id, project.direction_id, array_position(ARRAY['planned', 'in-progress', 'completed']::text[], project.status::text)::bigint, 4::smallint, link.stakeholder_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    """CREATE TRIGGER portal_projectstakeholder_facet_counts_insert AFTER INSERT ON portal_projectstakeholder
FOR EACH ROW EXECUTE FUNCTION portal_projectstakeholder_facet_counts()""",
    """CREATE TRIGGER portal_projectstakeholder_facet_counts_delete BEFORE DELETE ON portal_projectstakeholder
FOR EACH ROW EXECUTE FUNCTION portal_projectstakeholder_facet_counts()""",
    """CREATE TRIGGER portal_projectstakeholder_facet_counts_update_before BEFORE UPDATE ON portal_projectstakeholder
FOR EACH ROW WHEN (OLD.project_id <> NEW.project_id OR OLD.stakeholder_id <> NEW.stakeholder_id) EXECUTE FUNCTION portal_projectstakeholder_facet_counts()""",
    """CREATE TRIGGER portal_projectstakeholder_facet_counts_update_after AFTER UPDATE ON portal_projectstakeholder
FOR EACH ROW WHEN (OLD.project_id <> NEW.project_id OR OLD.stakeholder_id <> NEW.stakeholder_id) EXECUTE FUNCTION portal_projectstakeholder_facet_counts()""",
]

UNINSTALL = [
    """DROP TRIGGER IF EXISTS portal_project_facet_counts ON portal_project""",
    """DROP TRIGGER IF EXISTS clusters_cluster_projects_facet_counts_insert ON clusters_cluster_projects""",
    """DROP TRIGGER IF EXISTS clusters_cluster_projects_facet_counts_delete ON clusters_cluster_projects""",
    """DROP TRIGGER IF EXISTS clusters_cluster_projects_facet_counts_update_before ON clusters_cluster_projects""",
    """DROP TRIGGER IF EXISTS clusters_cluster_projects_facet_counts_update_after ON clusters_cluster_projects""",
    """DROP FUNCTION IF EXISTS clusters_cluster_projects_facet_counts()""",
    """DROP TRIGGER IF EXISTS portal_project_parks_facet_counts_insert ON portal_project_parks""",
    """DROP TRIGGER IF EXISTS portal_project_parks_facet_counts_delete ON portal_project_parks""",
    """DROP TRIGGER IF EXISTS portal_project_parks_facet_counts_update_before ON portal_project_parks""",
    """DROP TRIGGER IF EXISTS portal_project_parks_facet_counts_update_after ON portal_project_parks""",
    """DROP FUNCTION IF EXISTS portal_project_parks_facet_counts()""",
    """DROP TRIGGER IF EXISTS portal_projectstakeholder_facet_counts_insert ON portal_projectstakeholder""",
    """DROP TRIGGER IF EXISTS portal_projectstakeholder_facet_counts_delete ON portal_projectstakeholder""",
    """DROP TRIGGER IF EXISTS portal_projectstakeholder_facet_counts_update_before ON portal_projectstakeholder""",
    """DROP TRIGGER IF EXISTS portal_projectstakeholder_facet_counts_update_after ON portal_projectstakeholder""",
    """DROP FUNCTION IF EXISTS portal_projectstakeholder_facet_counts()""",
    """DROP FUNCTION IF EXISTS portal_project_facet_counts()""",
    """DROP FUNCTION IF EXISTS portal_project_facet_counts_add(bigint, bigint, bigint, smallint, bigint, integer)""",
    """DROP FUNCTION IF EXISTS portal_project_facets(bigint, bigint, bigint)""",
    """DROP STATISTICS IF EXISTS clusters_projectfacetcount_pairs""",
]

REBUILD = [
    """DELETE FROM clusters_projectfacetcount""",
    """WITH p AS (SELECT id, is_published, direction_id, status FROM portal_project WHERE is_published),
f AS (
  SELECT id AS project, 0::smallint AS facet, 0::bigint AS option FROM p
  UNION ALL SELECT l.project_id, 1::smallint, l.cluster_id FROM clusters_cluster_projects l JOIN p ON p.id = l.project_id
  UNION ALL SELECT l.project_id, 3::smallint, l.park_id FROM portal_project_parks l JOIN p ON p.id = l.project_id
  UNION ALL SELECT l.project_id, 4::smallint, l.stakeholder_id FROM portal_projectstakeholder l JOIN p ON p.id = l.project_id
  UNION ALL SELECT id, 2::smallint, p.direction_id FROM p WHERE p.direction_id IS NOT NULL
  UNION ALL SELECT id, 5::smallint, array_position(ARRAY['planned', 'in-progress', 'completed']::text[], p.status::text)::bigint FROM p WHERE array_position(ARRAY['planned', 'in-progress', 'completed']::text[], p.status::text)::bigint IS NOT NULL
)
INSERT INTO clusters_projectfacetcount (facet_a, option_a, facet_b, option_b, n)
SELECT a.facet, a.option, b.facet, b.option, count(*)
FROM f a JOIN f b ON a.project = b.project
WHERE a.facet = 0 OR a.facet <> b.facet
GROUP BY 1, 2, 3, 4""",
    """ANALYZE clusters_projectfacetcount""",
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in INSTALL + REBUILD:
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in UNINSTALL:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0004_texts_in_english"),
        ("portal", "0014_stakeholders_on_map_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectFacetCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("facet_a", models.PositiveSmallIntegerField()),
                ("option_a", models.BigIntegerField()),
                ("facet_b", models.PositiveSmallIntegerField()),
                ("option_b", models.BigIntegerField()),
                ("n", models.IntegerField(default=0)),
            ],
            options={
                "indexes": [
                    models.Index(
                        models.F("facet_a"),
                        models.F("option_a"),
                        models.F("facet_b"),
                        models.OrderBy(models.F("n"), descending=True),
                        name="project_facet_top",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("facet_a", "option_a", "facet_b", "option_b"),
                        name="project_facet_pair",
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
