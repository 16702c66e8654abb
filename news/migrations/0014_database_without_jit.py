"""PostgreSQL's JIT compilation off for the portal's database (new connections).

JIT starts on any query the planner costs above ``jit_above_cost``, which at a million articles
includes the news lists' scheduled-article correction and the searches, and then spends 7-16 ms
compiling for queries that run in tens of milliseconds (bench/README.md, "Ten times the data").
A web portal's short queries never gain from it; the PostgreSQL documentation suggests turning
it off for such workloads. A database setting, not a connection's: it holds behind PgBouncer
in transaction pooling too. Where the migrating role may not change the database's settings,
a notice says so and nothing else changes (docs/deployment.md gives the statement).
"""

from django.db import migrations

# format()'s %I doubled: the statement goes through the driver's parameter formatting.
SET_JIT = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %%I SET jit = {value}', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'jit is left as it is: run ALTER DATABASE ... SET jit = off as its owner';
END
$$
"""


def set_jit(value):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(SET_JIT.format(value=value), params=[])

    return operation


class Migration(migrations.Migration):
    dependencies = [("news", "0013_facet_counts_as_today")]

    operations = [migrations.RunPython(set_jit("off"), set_jit("on"), elidable=False)]
