"""Trigram indexes of the directory's searchable text per page language (PostgreSQL): each
text as a page in that language shows it, its own or else the other language's
(portal.search.searchable_text). They replace the index on the untranslated columns (0003)."""

from django.db import migrations

from portal.search import create_trigram_index, drop_trigram_index
from portal.translated import LANGUAGES

FIELDS = {
    "Project": ("name", "summary", "description"),
    "Stakeholder": ("name", "short_name", "description", "city"),
    "Park": ("name", "description", "address"),
}


def forward(apps, schema_editor):
    for name, fields in FIELDS.items():
        model = apps.get_model("portal", name)
        drop_trigram_index(model, schema_editor)
        for language in LANGUAGES:
            create_trigram_index(model, fields, schema_editor, language)


def backward(apps, schema_editor):
    for name, fields in FIELDS.items():
        model = apps.get_model("portal", name)
        for language in LANGUAGES:
            drop_trigram_index(model, schema_editor, language)
        create_trigram_index(model, fields, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_texts_in_english")]

    operations = [migrations.RunPython(forward, backward)]
