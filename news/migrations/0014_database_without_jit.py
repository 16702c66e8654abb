"""PostgreSQL's JIT compilation off for the portal's database (new connections).

JIT starts on any query the planner costs above ``jit_above_cost``, which at a million articles
includes the news lists' scheduled-article correction and the searches, and then spends 7-16 ms
compiling for queries that run in tens of milliseconds (docs/benchmarks.md, "Ten times the
data"). A web portal's short queries never gain from it; the PostgreSQL documentation suggests
turning it off for such workloads. A database setting, not a connection's: it holds behind
PgBouncer in transaction pooling too. Where the migrating role may not change the database's
settings, a warning says so and nothing else changes (docs/deployment.md, "PgBouncer").
"""

import sys

from django.db import DatabaseError, migrations, transaction

INSUFFICIENT_PRIVILEGE = "42501"


def alter_database(change):
    def operation(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute("SELECT current_database()")
                name = connection.ops.quote_name(cursor.fetchone()[0])
                cursor.execute(f"ALTER DATABASE {name} {change}")
        except DatabaseError as error:
            if getattr(error.__cause__, "pgcode", None) != INSUFFICIENT_PRIVILEGE:
                raise
            sys.stderr.write(
                f"WARNING: this role may not alter the database; its owner should run "
                f"ALTER DATABASE <name> {change} (see docs/deployment.md).\n"
            )

    return operation


class Migration(migrations.Migration):
    dependencies = [("news", "0013_facet_counts_as_today")]

    operations = [
        migrations.RunPython(
            alter_database("SET jit = off"), alter_database("RESET jit"), elidable=False
        )
    ]
