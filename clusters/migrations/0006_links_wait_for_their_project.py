"""The link triggers of the projects' facet counts wait for a row that another transaction is
changing: a link added while its project is published (or withdrawn) is counted once, when
both commit, instead of missed (or left behind). Only the link tables' trigger functions
change; the counts, the triggers and the rest stay. The SQL is frozen here, as
clusters/project_counts.py (through portal/kept_counts.py) wrote it when this was made; the
system check news.E001 (news/checks.py) compares a database with what the code expects."""

from importlib import import_module

from django.db import migrations

# Backward, the functions 0005_project_facet_counts installs: its own frozen SQL.
EARLIER = import_module("clusters.migrations.0005_project_facet_counts")

INSTALL = [
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
    -- FOR SHARE waits for a transaction that is changing the row (publishing it, say) and
    -- then reads what it committed; that transaction's own count saw no uncommitted link.
    SELECT id, is_published, direction_id, status INTO project FROM portal_project WHERE id = link.project_id FOR SHARE;
    IF FOUND AND project.is_published THEN
      PERFORM portal_project_facet_counts_add(
        project.id, project.direction_id, array_position(ARRAY['planned', 'in-progress', 'completed']::text[], project.status::text)::bigint, 1::smallint, link.cluster_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
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
    -- FOR SHARE waits for a transaction that is changing the row (publishing it, say) and
    -- then reads what it committed; that transaction's own count saw no uncommitted link.
    SELECT id, is_published, direction_id, status INTO project FROM portal_project WHERE id = link.project_id FOR SHARE;
    IF FOUND AND project.is_published THEN
      PERFORM portal_project_facet_counts_add(
        project.id, project.direction_id, array_position(ARRAY['planned', 'in-progress', 'completed']::text[], project.status::text)::bigint, 3::smallint, link.park_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
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
    -- FOR SHARE waits for a transaction that is changing the row (publishing it, say) and
    -- then reads what it committed; that transaction's own count saw no uncommitted link.
    SELECT id, is_published, direction_id, status INTO project FROM portal_project WHERE id = link.project_id FOR SHARE;
    IF FOUND AND project.is_published THEN
      PERFORM portal_project_facet_counts_add(
        project.id, project.direction_id, array_position(ARRAY['planned', 'in-progress', 'completed']::text[], project.status::text)::bigint, 4::smallint, link.stakeholder_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in INSTALL:
        schema_editor.execute(statement)


def back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    names = [statement.split("(")[0] for statement in INSTALL]
    for statement in EARLIER.INSTALL:
        if statement.split("(")[0] in names:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("clusters", "0005_project_facet_counts")]

    operations = [migrations.RunPython(install, back)]
