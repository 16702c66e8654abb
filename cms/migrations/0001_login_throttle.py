"""The log-in throttle, taken over from portal (portal 0013) with its table and rows.

The model is added to the state only: its table, ``portal_loginthrottle``, was made by portal
0004 and 0011 and is kept as it is. The content type follows the model (same row, now
``cms.loginthrottle``), so its permissions stay attached.
"""

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    if not types.filter(app_label="cms", model="loginthrottle").exists():
        types.filter(app_label="portal", model="loginthrottle").update(app_label="cms")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    if not types.filter(app_label="portal", model="loginthrottle").exists():
        types.filter(app_label="cms", model="loginthrottle").update(app_label="portal")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0013_login_throttle_moves_to_cms"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LoginThrottle",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("key", models.CharField(max_length=64, unique=True, verbose_name="key")),
                        (
                            "address_key",
                            models.CharField(
                                blank=True, db_index=True, max_length=64, verbose_name="address key"
                            ),
                        ),
                        (
                            "failures",
                            models.PositiveIntegerField(default=0, verbose_name="failures"),
                        ),
                        (
                            "window_started",
                            models.DateTimeField(db_index=True, verbose_name="window started"),
                        ),
                        (
                            "blocked_until",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="blocked until"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "log-in throttle",
                        "verbose_name_plural": "log-in throttles",
                        "db_table": "portal_loginthrottle",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
