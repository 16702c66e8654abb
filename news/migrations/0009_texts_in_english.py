"""Every existing text is English (the content and the seeds were written in English): copy it
into the English column. The Russian columns stay empty; nothing is machine-translated."""

from django.db import migrations

from portal.translated import copy_into_default_language

FIELDS = {
    "Article": ("title", "lead", "body", "source", "image_alt"),
}


def forward(apps, schema_editor):
    copy_into_default_language(apps, "news", FIELDS)


class Migration(migrations.Migration):
    dependencies = [("news", "0008_translated_texts")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
