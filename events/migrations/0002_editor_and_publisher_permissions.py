"""Editors and Publishers get their permissions on events (see cms/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from cms.roles import sync_groups


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("news", "0004_editor_and_publisher_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
