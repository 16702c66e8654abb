"""A draft has no publication time until one is typed: publishing it then sets now.

Before, every article got the time it was started (the field's default), so a draft published
days later was back-dated to its start. Existing drafts whose time is not after their creation
(the default, never a time typed to schedule them) lose it; published articles, and drafts
with a time ahead of their creation, keep theirs. A published article always has a time.
"""

from django.db import migrations, models
from django.db.models import F, Q


def clear_default_times(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    Article.objects.filter(status="draft", published_at__lte=F("created_at")).update(
        published_at=None
    )


def restore_default_times(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    Article.objects.filter(published_at__isnull=True).update(published_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0011_search_per_language"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                help_text=(
                    "Leave empty to publish at the moment the article is published. A future "
                    "time schedules it: it appears by itself then."
                ),
                null=True,
                verbose_name="publication time",
            ),
        ),
        migrations.RunPython(clear_default_times, restore_default_times, elidable=True),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ),
    ]
