"""Logged-in admin clients, admin addresses and the article form as a browser posts it."""

from django.test import Client
from django.urls import reverse


def logged_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def article_form(**overrides):
    data = {
        "title": "A new agreement",
        "slug": "a-new-agreement",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "lead": "",
        "body": "One.\n\nTwo.",
        "source": "",
        "source_url": "",
        "image_alt": "",
    }
    data.update(overrides)
    return data
