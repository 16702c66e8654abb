"""Every existing text is English (the content and the seeds were written in English): copy it
into the English column. The Russian columns stay empty; nothing is machine-translated."""

from django.db import migrations

from portal.translated import copy_into_default_language

FIELDS = {
    "Cluster": ("name", "summary", "description", "image_alt"),
}


def forward(apps, schema_editor):
    copy_into_default_language(apps, "clusters", FIELDS)


class Migration(migrations.Migration):
    dependencies = [("clusters", "0003_translated_texts")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
