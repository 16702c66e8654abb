"""The facets of the articles scheduled ahead, kept by triggers beside the news facet counts
(news/scheduled_facets.py): the table, its triggers and its first rows. The SQL is frozen here,
as news/scheduled_facets.py wrote it when this was made; the system check news.E001
(news/checks.py) compares a database with what the code expects."""

from django.db import migrations, models

INSTALL = [
    """CREATE OR REPLACE FUNCTION news_article_scheduled_facets() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (current_setting('inotomsk.facet_counts_paused', true) = 'on') IS TRUE THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM news_scheduledarticlefacet WHERE article_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'published' AND NEW.published_at > clock_timestamp() THEN
    INSERT INTO news_scheduledarticlefacet (article_id, published_at, facet, option)
    SELECT NEW.id, NEW.published_at, f.facet, f.option FROM news_article_facets(NEW.id, extract(year FROM NEW.published_at AT TIME ZONE 'Asia/Tomsk')::bigint) f;
  END IF;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER news_article_scheduled_facets
AFTER INSERT OR UPDATE OF status, published_at OR DELETE ON news_article
FOR EACH ROW EXECUTE FUNCTION news_article_scheduled_facets()""",
    """CREATE OR REPLACE FUNCTION news_article_clusters_scheduled_facets() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (current_setting('inotomsk.facet_counts_paused', true) = 'on') IS TRUE THEN RETURN NULL; END IF;
  -- FOR SHARE waits for a transaction that is changing the article (scheduling it, say):
  -- the statements after it then see what that one committed, as in the kept counts' triggers.
  IF TG_OP <> 'INSERT' THEN
    PERFORM 1 FROM news_article WHERE id = OLD.article_id FOR SHARE;
    DELETE FROM news_scheduledarticlefacet
    WHERE article_id = OLD.article_id AND facet = 1 AND option = OLD.cluster_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO news_scheduledarticlefacet (article_id, published_at, facet, option)
    SELECT a.id, a.published_at, 1, NEW.cluster_id
    FROM (SELECT id, status, published_at FROM news_article WHERE id = NEW.article_id FOR SHARE) a
    WHERE a.status = 'published' AND a.published_at > clock_timestamp();
  END IF;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER news_article_clusters_scheduled_facets
AFTER INSERT OR UPDATE OR DELETE ON news_article_clusters
FOR EACH ROW EXECUTE FUNCTION news_article_clusters_scheduled_facets()""",
    """CREATE OR REPLACE FUNCTION news_article_directions_scheduled_facets() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (current_setting('inotomsk.facet_counts_paused', true) = 'on') IS TRUE THEN RETURN NULL; END IF;
  -- FOR SHARE waits for a transaction that is changing the article (scheduling it, say):
  -- the statements after it then see what that one committed, as in the kept counts' triggers.
  IF TG_OP <> 'INSERT' THEN
    PERFORM 1 FROM news_article WHERE id = OLD.article_id FOR SHARE;
    DELETE FROM news_scheduledarticlefacet
    WHERE article_id = OLD.article_id AND facet = 2 AND option = OLD.direction_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO news_scheduledarticlefacet (article_id, published_at, facet, option)
    SELECT a.id, a.published_at, 2, NEW.direction_id
    FROM (SELECT id, status, published_at FROM news_article WHERE id = NEW.article_id FOR SHARE) a
    WHERE a.status = 'published' AND a.published_at > clock_timestamp();
  END IF;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER news_article_directions_scheduled_facets
AFTER INSERT OR UPDATE OR DELETE ON news_article_directions
FOR EACH ROW EXECUTE FUNCTION news_article_directions_scheduled_facets()""",
    """CREATE OR REPLACE FUNCTION news_article_projects_scheduled_facets() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (current_setting('inotomsk.facet_counts_paused', true) = 'on') IS TRUE THEN RETURN NULL; END IF;
  -- FOR SHARE waits for a transaction that is changing the article (scheduling it, say):
  -- the statements after it then see what that one committed, as in the kept counts' triggers.
  IF TG_OP <> 'INSERT' THEN
    PERFORM 1 FROM news_article WHERE id = OLD.article_id FOR SHARE;
    DELETE FROM news_scheduledarticlefacet
    WHERE article_id = OLD.article_id AND facet = 3 AND option = OLD.project_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO news_scheduledarticlefacet (article_id, published_at, facet, option)
    SELECT a.id, a.published_at, 3, NEW.project_id
    FROM (SELECT id, status, published_at FROM news_article WHERE id = NEW.article_id FOR SHARE) a
    WHERE a.status = 'published' AND a.published_at > clock_timestamp();
  END IF;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER news_article_projects_scheduled_facets
AFTER INSERT OR UPDATE OR DELETE ON news_article_projects
FOR EACH ROW EXECUTE FUNCTION news_article_projects_scheduled_facets()""",
    """CREATE OR REPLACE FUNCTION news_article_stakeholders_scheduled_facets() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (current_setting('inotomsk.facet_counts_paused', true) = 'on') IS TRUE THEN RETURN NULL; END IF;
  -- FOR SHARE waits for a transaction that is changing the article (scheduling it, say):
  -- the statements after it then see what that one committed, as in the kept counts' triggers.
  IF TG_OP <> 'INSERT' THEN
    PERFORM 1 FROM news_article WHERE id = OLD.article_id FOR SHARE;
    DELETE FROM news_scheduledarticlefacet
    WHERE article_id = OLD.article_id AND facet = 4 AND option = OLD.stakeholder_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO news_scheduledarticlefacet (article_id, published_at, facet, option)
    SELECT a.id, a.published_at, 4, NEW.stakeholder_id
    FROM (SELECT id, status, published_at FROM news_article WHERE id = NEW.article_id FOR SHARE) a
    WHERE a.status = 'published' AND a.published_at > clock_timestamp();
  END IF;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER news_article_stakeholders_scheduled_facets
AFTER INSERT OR UPDATE OR DELETE ON news_article_stakeholders
FOR EACH ROW EXECUTE FUNCTION news_article_stakeholders_scheduled_facets()""",
    """CREATE OR REPLACE FUNCTION news_article_parks_scheduled_facets() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (current_setting('inotomsk.facet_counts_paused', true) = 'on') IS TRUE THEN RETURN NULL; END IF;
  -- FOR SHARE waits for a transaction that is changing the article (scheduling it, say):
  -- the statements after it then see what that one committed, as in the kept counts' triggers.
  IF TG_OP <> 'INSERT' THEN
    PERFORM 1 FROM news_article WHERE id = OLD.article_id FOR SHARE;
    DELETE FROM news_scheduledarticlefacet
    WHERE article_id = OLD.article_id AND facet = 6 AND option = OLD.park_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO news_scheduledarticlefacet (article_id, published_at, facet, option)
    SELECT a.id, a.published_at, 6, NEW.park_id
    FROM (SELECT id, status, published_at FROM news_article WHERE id = NEW.article_id FOR SHARE) a
    WHERE a.status = 'published' AND a.published_at > clock_timestamp();
  END IF;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER news_article_parks_scheduled_facets
AFTER INSERT OR UPDATE OR DELETE ON news_article_parks
FOR EACH ROW EXECUTE FUNCTION news_article_parks_scheduled_facets()""",
]

REBUILD = [
    """LOCK TABLE news_scheduledarticlefacet IN SHARE ROW EXCLUSIVE MODE""",
    """DELETE FROM news_scheduledarticlefacet""",
    """INSERT INTO news_scheduledarticlefacet (article_id, published_at, facet, option)
SELECT a.id, a.published_at, f.facet, f.option
FROM news_article a, LATERAL news_article_facets(a.id, extract(year FROM a.published_at AT TIME ZONE 'Asia/Tomsk')::bigint) f
WHERE a.status = 'published' AND a.published_at > clock_timestamp()""",
    """ANALYZE news_scheduledarticlefacet""",
]

UNINSTALL = [
    """DROP TRIGGER IF EXISTS news_article_scheduled_facets ON news_article""",
    """DROP FUNCTION IF EXISTS news_article_scheduled_facets()""",
    """DROP TRIGGER IF EXISTS news_article_clusters_scheduled_facets ON news_article_clusters""",
    """DROP FUNCTION IF EXISTS news_article_clusters_scheduled_facets()""",
    """DROP TRIGGER IF EXISTS news_article_directions_scheduled_facets ON news_article_directions""",
    """DROP FUNCTION IF EXISTS news_article_directions_scheduled_facets()""",
    """DROP TRIGGER IF EXISTS news_article_projects_scheduled_facets ON news_article_projects""",
    """DROP FUNCTION IF EXISTS news_article_projects_scheduled_facets()""",
    """DROP TRIGGER IF EXISTS news_article_stakeholders_scheduled_facets ON news_article_stakeholders""",
    """DROP FUNCTION IF EXISTS news_article_stakeholders_scheduled_facets()""",
    """DROP TRIGGER IF EXISTS news_article_parks_scheduled_facets ON news_article_parks""",
    """DROP FUNCTION IF EXISTS news_article_parks_scheduled_facets()""",
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
        ("news", "0016_links_wait_for_their_article"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScheduledArticleFacet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("article_id", models.BigIntegerField()),
                ("published_at", models.DateTimeField()),
                ("facet", models.PositiveSmallIntegerField()),
                ("option", models.BigIntegerField()),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["published_at", "article_id", "facet", "option"],
                        name="scheduled_facet_time",
                    ),
                    models.Index(
                        fields=["article_id", "facet", "option"], name="scheduled_facet_article"
                    ),
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
