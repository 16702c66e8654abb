"""The log-in throttle's model moved from portal to cms (portal 0013, cms 0001) without moving
its table: a database migrated before the move keeps its rows, and the content type (with its
permissions) follows the model."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cms.models import LoginThrottle

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("portal", "0012_places"), ("cms", None)]


def migrate(targets=None):
    """Migrate to targets (the latest migrations when None); the state reached, as apps."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    reached = [node for node in targets if node[1] is not None]
    reached.append(("contenttypes", "0002_remove_content_type_name"))
    return MigrationExecutor(connection).loader.project_state(reached).apps


def test_a_database_migrated_before_the_move_keeps_its_rows():
    old_apps = migrate(BEFORE_THE_MOVE)
    assert "portal_loginthrottle" in connection.introspection.table_names()
    Old = old_apps.get_model("portal", "LoginThrottle")
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    now = timezone.now()
    Old.objects.create(key="a" * 64, address_key="b" * 64, failures=7, window_started=now)
    Old.objects.create(key="c" * 64, failures=5, window_started=now, blocked_until=now)
    old_type = OldContentType.objects.get(app_label="portal", model="loginthrottle")

    migrate()
    ContentType.objects.clear_cache()
    assert "portal_loginthrottle" in connection.introspection.table_names()
    rows = LoginThrottle.objects.order_by("key")
    assert [(r.key[0], r.address_key[:1], r.failures, r.blocked_until) for r in rows] == [
        ("a", "b", 7, None),
        ("c", "", 5, now),
    ]
    moved = ContentType.objects.get(pk=old_type.pk)
    assert (moved.app_label, moved.model) == ("cms", "loginthrottle")
    assert moved.model_class() is LoginThrottle
    assert not ContentType.objects.filter(app_label="portal", model="loginthrottle").exists()

    # The table works as before: the unique key, and a new row.
    LoginThrottle.objects.create(key="d" * 64, window_started=now - timedelta(days=2))
    assert LoginThrottle.objects.count() == 3
