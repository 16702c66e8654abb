"""A system check on PostgreSQL: the triggers of the news search and of the kept facet counts
(of /news/ and /projects/), their functions and the news indexes in the database are the ones
this code expects.

Migrations install them with SQL frozen in the migration files; news/facet_counts.py,
clusters/project_counts.py and news/search.py write what the code expects today. They drift apart when that code changes
without a migration, or when a database was migrated by an earlier edit of a migration: the
counts or the search then go wrong without an error. Tagged ``database``, so it runs with
``manage.py check --database default`` and before ``migrate`` applies anything; it says nothing
while migrations are still to be applied (they install what is missing).
"""

import re

from django.apps import apps
from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from clusters.project_counts import PROJECTS

from . import search
from .facet_counts import ARTICLES

KEPT_COUNTS = (ARTICLES, PROJECTS)

FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION (\w+)\(.*?\bAS \$\$(.*)\$\$", re.DOTALL)
# Made by RunPython/RunSQL in migrations, not declared on the models.
SQL_INDEXES = {
    search.VECTOR_INDEX_NAME,
    search.RU_VECTOR_INDEX_NAME,
    "news_article_title_trgm",
}
STATISTICS = {f"{kept.table}_pairs" for kept in KEPT_COUNTS}
HINT = (
    "If a migration installs it, apply it (bin/manage migrate). If none does, the code "
    "changed the SQL without a migration: add one that installs today's (docs/operations.md, "
    '"Upgrades"). To install the news SQL again: bin/manage migrate news 0014 --skip-checks, '
    "then bin/manage migrate news --skip-checks; the projects': the same with clusters 0004."
)


def _normal(sql):
    return " ".join(sql.split())


def expected_functions(connection):
    """{name: body} of every trigger function (and its helpers) the code expects."""
    functions = {
        name: _normal(body)
        for kept in KEPT_COUNTS
        for statement in kept.install_sql()
        if (match := FUNCTION.match(statement))
        for name, body in [match.groups()]
    }
    article = apps.get_model("news", "Article")
    with connection.schema_editor(collect_sql=True) as editor:
        english = search.page_search_vector_sql(article, editor, "en", "NEW")
        russian = search.page_search_vector_sql(article, editor, "ru", "NEW")
    functions[search.TRIGGER_NAME] = _normal(
        f"BEGIN NEW.search_vector := {english}; NEW.search_vector_ru := {russian}; RETURN NEW; END"
    )
    return functions


def expected_triggers():
    """{(table, trigger)} of the triggers the code expects."""
    triggers = {("news_article", search.TRIGGER_NAME)}
    for kept in KEPT_COUNTS:
        triggers |= kept.trigger_names()
    return triggers


def expected_indexes():
    """Names of the indexes of the news tables: the models' and those migrations make."""
    names = set(SQL_INDEXES)
    for model in apps.get_app_config("news").get_models():
        names |= {index.name for index in model._meta.indexes}
    return names


def _pending(connection):
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    return bool(executor.migration_plan([*graph.leaf_nodes("news"), *graph.leaf_nodes("clusters")]))


def installed(connection):
    """What the database has: {function: body}, {(table, trigger)}, {index}, {statistics}."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, p.prosrc FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() "
            "AND (p.proname LIKE 'news\\_%' OR p.proname LIKE 'portal\\_%' "
            "OR p.proname LIKE 'clusters\\_%')"
        )
        functions = {name: _normal(body) for name, body in cursor.fetchall()}
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal"
        )
        triggers = set(cursor.fetchall())
        cursor.execute(
            "SELECT indexname FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename LIKE 'news\\_%'"
        )
        indexes = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT stxname FROM pg_statistic_ext")
        statistics = {name for (name,) in cursor.fetchall()}
    return functions, triggers, indexes, statistics


@register(Tags.database)
def check_news_sql(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql" or _pending(connection):
            continue
        functions, triggers, indexes, statistics = installed(connection)
        for name, body in sorted(expected_functions(connection).items()):
            if name not in functions:
                message = f"The database {alias!r} has no function {name}() (news triggers)."
                errors.append(Error(message, hint=HINT, id="news.E002"))
            elif functions[name] != body:
                message = (
                    f"The function {name}() in the database {alias!r} differs from the one "
                    "this code expects (installed by an earlier migration, or changed by hand)."
                )
                errors.append(Error(message, hint=HINT, id="news.E001"))
        for table, trigger in sorted(expected_triggers() - triggers):
            message = f"The database {alias!r} has no trigger {trigger} on {table}."
            errors.append(Error(message, hint=HINT, id="news.E003"))
        for name in sorted(expected_indexes() - indexes) + sorted(STATISTICS - statistics):
            message = f"The database {alias!r} has no index or statistics {name} (news)."
            errors.append(Error(message, hint=HINT, id="news.E004"))
    return errors
