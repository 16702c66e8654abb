"""Events record when they were first published (``first_published_at``), which digests read.

Events published before this migration are taken as first published when they were created:
that was the time digests read until now, so none of them is sent again as new.
"""

from django.db import migrations, models
from django.db.models import F


def published_when_created(apps, schema_editor):
    """Published rows get their creation time (this migration's own copy of the rule)."""
    Event = apps.get_model("events", "Event")
    Event.objects.filter(status="published", first_published_at__isnull=True).update(
        first_published_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_places"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="first_published_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="first published"
            ),
        ),
        migrations.RunPython(published_when_created, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "draft"), ("first_published_at__isnull", False), _connector="OR"
                ),
                name="event_published_has_time",
            ),
        ),
    ]
