"""The portal behind PgBouncer in transaction pooling (.ci/pgbouncer runs these and part of the
PostgreSQL suite through it): the setting that says so, no server-side cursors, and no session
state left on a server connection that another client gets next."""

import os
import subprocess
import sys

import pytest
from django.db import connection, transaction

from news.facet_counts import ARTICLES
from portal import kept_counts

from . import factories

THROUGH_PGBOUNCER = bool(os.environ.get("PGBOUNCER_PORT")) and connection.vendor == "postgresql"
through_pgbouncer = pytest.mark.skipif(
    not THROUGH_PGBOUNCER, reason="run by .ci/pgbouncer, through PgBouncer (PGBOUNCER_PORT)"
)


def settings_with(**environment):
    code = (
        "import inotomsk.settings as s; "
        "print(s.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS', False))"
    )
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x",
        "DATABASE_URL": "postgres://portal@db.internal:6432/inotomsk",
        **environment,
    }
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_the_pooler_setting_turns_server_side_cursors_off():
    assert settings_with(DJANGO_DB_POOLER="pgbouncer").stdout.strip() == "True"
    assert settings_with(DJANGO_DB_POOLER="").stdout.strip() == "False"
    refused = settings_with(DJANGO_DB_POOLER="pgpool")
    assert refused.returncode != 0 and "DJANGO_DB_POOLER" in refused.stderr


def raw_connection():
    """A second client of the same database, through the same PgBouncer."""
    import psycopg2

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    client = psycopg2.connect(**params)
    client.autocommit = True
    return client


@through_pgbouncer
def test_the_suite_runs_through_pgbouncer_in_transaction_pooling(db):
    import psycopg2

    assert connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert str(connection.settings_dict["PORT"]) == os.environ["PGBOUNCER_PORT"]
    console = psycopg2.connect(
        host="127.0.0.1", port=os.environ["PGBOUNCER_PORT"], dbname="pgbouncer", user="postgres"
    )
    console.autocommit = True
    with console.cursor() as cursor:
        cursor.execute("SHOW POOLS")
        columns = [c.name for c in cursor.description]
        pools = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    console.close()
    ours = [pool for pool in pools if pool["database"] == connection.settings_dict["NAME"]]
    assert ours and all(pool["pool_mode"] == "transaction" for pool in ours)


@through_pgbouncer
def test_iterating_a_large_queryset_outside_a_transaction(transactional_db):
    for _ in range(3):
        factories.article()
    # In autocommit, each chunk is its own transaction: a server-side cursor would be gone.
    from news.models import Article

    assert len(list(Article.objects.all().iterator(chunk_size=1))) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="kept counts are PostgreSQL's")
def test_paused_counts_leave_no_setting_for_other_clients(transactional_db):
    if not kept_counts.is_kept():
        pytest.skip("the facet counts are not kept on this database")
    query = f"SELECT current_setting('{ARTICLES.pause_setting}', true)"
    other = raw_connection()
    try:
        with kept_counts.paused(ARTICLES) as pause, transaction.atomic():
            pause()
            factories.article()
            # Behind PgBouncer, a session setting would be on the server connection that the
            # next client's statement gets.
            with other.cursor() as cursor:
                cursor.execute(query)
                assert cursor.fetchone()[0] != "on"
        with connection.cursor() as cursor:
            cursor.execute(query)
            assert cursor.fetchone()[0] != "on"
    finally:
        other.close()
