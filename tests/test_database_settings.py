"""The portal's database settings on PostgreSQL (news migration 0014)."""

import psycopg2
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def test_new_connections_run_without_jit():
    """JIT compiled the searches and news lists of a million articles for longer than they
    ran; the migrations turn it off for the database, so every new connection has it off."""
    params = connection.get_connection_params()
    with psycopg2.connect(**params) as fresh, fresh.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
    fresh.close()
