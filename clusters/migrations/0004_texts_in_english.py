"""Every existing text is English (the content and the seeds were written in English): copy it
into the English column. The Russian columns stay empty; nothing is machine-translated."""

from django.db import migrations
from django.db.models import F

FIELDS = {
    "Cluster": ("name", "summary", "description", "image_alt"),
}


def forward(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("clusters", model_name)
        model._base_manager.update(**{f"{field}_en": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("clusters", "0003_translated_texts")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
