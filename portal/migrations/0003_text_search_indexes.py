"""Trigram indexes on the searchable text of projects, stakeholders and parks (PostgreSQL).

Each is compiled from ``portal.search.searchable_text`` over the fields named here, which are
the models' ``text_search_fields``; clusters are too few to need one.
"""

from django.db import migrations

from portal.search import create_trigram_index, drop_trigram_index

FIELDS = {
    "Project": ("name", "summary", "description"),
    "Stakeholder": ("name", "short_name", "description", "city"),
    "Park": ("name", "description", "address"),
}


def forward(apps, schema_editor):
    for name, fields in FIELDS.items():
        create_trigram_index(apps.get_model("portal", name), fields, schema_editor)


def backward(apps, schema_editor):
    for name in FIELDS:
        drop_trigram_index(apps.get_model("portal", name), schema_editor)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_publish_permission_image_renditions")]

    operations = [migrations.RunPython(forward, backward)]
