"""Every existing text is English (the content and the seeds were written in English): copy it
into the English column. The Russian columns stay empty; nothing is machine-translated."""

from django.db import migrations
from django.db.models import F

FIELDS = {
    "Direction": ("name", "summary"),
    "KeyFact": ("figure", "text"),
    "Stakeholder": ("name", "short_name", "description", "logo_alt", "city", "country"),
    "ParkType": ("name",),
    "Park": ("name", "description", "address", "image_alt"),
    "Project": ("name", "summary", "description", "image_alt"),
}


def forward(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("portal", model_name)
        model._base_manager.update(**{f"{field}_en": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_translated_texts")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
