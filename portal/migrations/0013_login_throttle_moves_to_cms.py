"""The log-in throttle's model moves to the cms app (cms 0001), its table stays.

Only the migration state forgets the model here; the table ``portal_loginthrottle`` and its
rows are untouched, and cms 0001 takes the model over with that table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0012_places"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LoginThrottle")],
            database_operations=[],
        ),
    ]
