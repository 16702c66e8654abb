"""Admin addresses, the forms and actions a browser posts, and an entry's admin history."""

from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

TOMSK = timezone.get_default_timezone()


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def article_data(article=None, **overrides):
    """An article form as the admin posts it (from the stored row, or a new one)."""
    when = timezone.localtime(article.published_at) if article else datetime(2026, 11, 20, 10)
    data = {
        "title": article.title if article else "New agreement signed",
        "slug": article.slug if article else "new-agreement-signed",
        "status": article.status if article else "draft",
        "published_at_0": when.strftime("%Y-%m-%d"),
        "published_at_1": when.strftime("%H:%M:%S"),
        "lead": article.lead if article else "",
        "body": article.body if article else "One.\n\nTwo.",
        "source": "",
        "source_url": "",
        "image_alt": "",
    }
    data.update(overrides)
    return data


def action(client, model, name, objects):
    return client.post(
        url(model, "changelist"),
        {"action": name, "_selected_action": [obj.pk for obj in objects], "index": "0"},
    )


def history(obj):
    return list(
        LogEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
        .order_by("id")
        .values_list("action_flag", "user__username")
    )
