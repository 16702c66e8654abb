"""The link triggers of the news facet counts wait for a row that another transaction is
changing: a link added while its article is published (or withdrawn) is counted once, when
both commit, instead of missed (or left behind). Only the link tables' trigger functions
change; the counts, the triggers and the rest stay. The SQL is frozen here, as
news/facet_counts.py (through portal/kept_counts.py) wrote it when this was made; the system
check news.E001 (news/checks.py) compares a database with what the code expects."""

from importlib import import_module

from django.db import migrations

# Backward, the functions 0015_link_updates_counted installs: its own frozen SQL.
EARLIER = import_module("news.migrations.0015_link_updates_counted")

INSTALL = [
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
    -- FOR SHARE waits for a transaction that is changing the row (publishing it, say) and
    -- then reads what it committed; that transaction's own count saw no uncommitted link.
    SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id FOR SHARE;
    IF FOUND AND article.status = 'published' THEN
      PERFORM news_facet_counts_add(
        article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 1::smallint, link.cluster_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
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
    -- FOR SHARE waits for a transaction that is changing the row (publishing it, say) and
    -- then reads what it committed; that transaction's own count saw no uncommitted link.
    SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id FOR SHARE;
    IF FOUND AND article.status = 'published' THEN
      PERFORM news_facet_counts_add(
        article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 2::smallint, link.direction_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
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
    -- FOR SHARE waits for a transaction that is changing the row (publishing it, say) and
    -- then reads what it committed; that transaction's own count saw no uncommitted link.
    SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id FOR SHARE;
    IF FOUND AND article.status = 'published' THEN
      PERFORM news_facet_counts_add(
        article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 3::smallint, link.project_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
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
    -- FOR SHARE waits for a transaction that is changing the row (publishing it, say) and
    -- then reads what it committed; that transaction's own count saw no uncommitted link.
    SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id FOR SHARE;
    IF FOUND AND article.status = 'published' THEN
      PERFORM news_facet_counts_add(
        article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 4::smallint, link.stakeholder_id, change
      );
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
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
    -- FOR SHARE waits for a transaction that is changing the row (publishing it, say) and
    -- then reads what it committed; that transaction's own count saw no uncommitted link.
    SELECT id, status, published_at INTO article FROM news_article WHERE id = link.article_id FOR SHARE;
    IF FOUND AND article.status = 'published' THEN
      PERFORM news_facet_counts_add(
        article.id, extract(year FROM article.published_at AT TIME ZONE 'Asia/Tomsk')::bigint, 6::smallint, link.park_id, change
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
    dependencies = [("news", "0015_link_updates_counted")]

    operations = [migrations.RunPython(install, back)]
