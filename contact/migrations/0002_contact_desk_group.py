"""The group "Contact desk": its members read contact messages and set their status.

Contact messages hold visitors' names and e-mail addresses, so the editorial roles (Editors,
Publishers) have no access; this group is apart from them, which the roles' sync leaves
alone. Self-contained, as a migration must be: it names its permissions itself.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Contact desk"
CODENAMES = ["view_contactmessage", "change_contactmessage"]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs them now.
    config = apps.get_app_config("contact")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="contact", codename__in=CODENAMES)
    )


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, remove)]
