"""Upgrades of the news triggers and indexes (PostgreSQL): migrations hold their own SQL, a
database migrated forward from an early state ends up as a fresh one, and the system check
news.E001-E004 (news/checks.py) reports a database whose triggers or indexes drifted from what
the code expects."""

import ast
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from news.checks import check_news_sql

from . import factories

ROOT = Path(__file__).resolve().parents[1]
MIGRATIONS = ROOT / "news" / "migrations"
# Project code a migration may still import, and why: the callables that fields refer to
# (validators, upload paths, field classes) and the editor groups, which follow the roles by
# design (later migrations sync them). Nothing that writes SQL or copies data.
ALLOWED_IMPORTS = {
    "portal.images": "the image field class and its validators",
    "portal.models": "validate_source_url, a validator a field refers to",
    "events.models": "validate_time_zone, a validator a field refers to",
    "programme.models": "document_path, the upload path a field refers to",
    "cms.roles": "the editor groups follow the roles by design (later migrations sync)",
}
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers and their check are PostgreSQL's"
)


def test_migrations_hold_their_own_sql():
    """No migration imports the code that writes SQL or copies data today (news.search,
    news.facet_counts, portal.search, cms.translated) or any other project module beyond
    the allowed ones: a migration does what it did when it was first applied."""
    project = {"cms", "news", "portal", "public", "clusters", "events", "programme", "api"}
    project |= {"inotomsk"}
    found = {}
    for path in sorted(ROOT.glob("*/migrations/0*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if module.split(".")[0] in project and module not in ALLOWED_IMPORTS:
                    found.setdefault(f"{path.parent.parent.name}/{path.name}", []).append(module)
    assert found == {}


def snapshot():
    """The news tables' trigger functions, triggers, indexes and statistics, as defined."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, p.prosrc FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'news\\_%'"
        )
        functions = dict(cursor.fetchall())
        cursor.execute(
            "SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relname LIKE 'news\\_%'"
        )
        triggers = dict(cursor.fetchall())
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename LIKE 'news\\_%'"
        )
        indexes = dict(cursor.fetchall())
        cursor.execute("SELECT stxname FROM pg_statistic_ext ORDER BY 1")
        statistics = [name for (name,) in cursor.fetchall()]
    return {
        "functions": functions,
        "triggers": triggers,
        "indexes": indexes,
        "statistics": statistics,
    }


@postgresql_only
def test_a_fresh_database_passes_the_check(db):
    assert check_news_sql(databases=["default"]) == []


@postgresql_only
def test_the_check_names_what_drifted(db):
    """Within the test's transaction: an old function body, a dropped trigger and index."""
    from importlib import import_module

    first = import_module("news.migrations.0006_article_facet_counts")
    with connection.cursor() as cursor:
        cursor.execute(first.INSTALL[0])  # news_article_facets() as 0006 first made it
        cursor.execute("DROP TRIGGER news_article_parks_facet_counts_insert ON news_article_parks")
        cursor.execute('DROP INDEX "article_facet_top"')
    errors = {(error.id, error.msg) for error in check_news_sql(databases=["default"])}
    assert {error_id for error_id, _message in errors} == {"news.E001", "news.E003", "news.E004"}
    messages = " ".join(message for _id, message in errors)
    assert "news_article_facets()" in messages
    assert "news_article_parks_facet_counts_insert on news_article_parks" in messages
    assert "article_facet_top" in messages


@postgresql_only
def test_a_database_migrated_from_an_early_state_matches_a_fresh_one(transactional_db):
    fresh = snapshot()
    assert "news_article_parks_facet_counts" in fresh["functions"]
    try:
        call_command("migrate", "news", "0005", verbosity=0)
        assert "news_article_facets" not in snapshot()["functions"]
        # The state of a database migrated when 0006 was first applied: no park facet, no
        # index on the counts, no statistics.
        call_command("migrate", "news", "0006", verbosity=0)
        early = snapshot()
        assert "news_article_facets" in early["functions"]
        assert "news_article_parks_facet_counts" not in early["functions"]
        assert "article_facet_top" not in early["indexes"]
        assert "news_articlefacetcount_pairs" not in early["statistics"]
        # Nothing is said while news migrations are still to be applied: migrate installs them.
        assert check_news_sql(databases=["default"]) == []
    finally:
        call_command("migrate", verbosity=0)
    assert snapshot() == fresh
    assert check_news_sql(databases=["default"]) == []

    # And the upgraded triggers count: a published article linked to a park.
    park = factories.park(slug="technopark")
    article = factories.article(slug="launch")
    article.parks.add(park)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n FROM news_articlefacetcount "
            "WHERE facet_a = 0 AND option_a = 0 AND facet_b = 6 AND option_b = %s",
            [park.pk],
        )
        assert cursor.fetchall() == [(1,)]
