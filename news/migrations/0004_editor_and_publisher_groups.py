"""The Editors and Publishers groups with their permissions (see cms/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from cms.roles import EDITORS, PUBLISHERS, sync_groups


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, PUBLISHERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0002_publish_permission_image_renditions"),
        ("clusters", "0002_publish_permission_image_renditions"),
        ("news", "0003_publish_permission_image_renditions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
