"""Every existing text is English (the content and the seeds were written in English): copy it
into the English column. The Russian columns stay empty; nothing is machine-translated.

Frozen: what portal.translated.copy_into_default_language did when this was made, written out
(English was, and is, the default language)."""

from django.db import migrations
from django.db.models import F

FIELDS = {
    "Article": ("title", "lead", "body", "source", "image_alt"),
}


def forward(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("news", model_name)
        model._base_manager.update(**{f"{field}_en": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("news", "0008_translated_texts")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
