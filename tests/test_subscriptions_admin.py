# ruff: noqa: F811 - the SMTP fixtures are imported, then named as parameters
"""Subscriptions in the admin (only superusers see and export addresses) and an address
that unsubscribed: signed up again only by confirming anew."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.utils import timezone

from subscriptions import digest, tokens
from subscriptions.models import Subscription

from . import factories
from .smtp import smtp, smtp_server  # noqa: F401 - fixtures
from .test_subscriptions import confirmed, sign_up

pytestmark = pytest.mark.django_db
ADDRESS = "reader@example.org"
CHANGELIST = "/admin/subscriptions/subscription/"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


@pytest.fixture
def editor(client, django_user_model):
    """Staff who may view and change subscriptions, not a superuser."""
    user = django_user_model.objects.create_user("staff", "staff@example.org", "pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_subscription", "change_subscription", "export_subscription"]
        )
    )
    client.force_login(user)
    return client


@pytest.fixture
def superuser(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


def export(client, subscription):
    return client.post(
        CHANGELIST, {"action": "export_addresses", "_selected_action": [subscription.pk]}
    )


def test_staff_never_see_or_export_addresses(editor):
    subscription = confirmed()
    listing = editor.get(f"{CHANGELIST}?q={ADDRESS}")
    assert listing.status_code == 200
    assert ADDRESS not in listing.content.decode()
    assert "export_addresses" not in listing.content.decode()
    change = editor.get(f"{CHANGELIST}{subscription.pk}/change/")
    assert change.status_code == 200
    assert ADDRESS not in change.content.decode() and 'name="email"' not in change.content.decode()
    response = export(editor, subscription)
    assert response.get("Content-Type", "").startswith("text/html")
    assert ADDRESS not in response.content.decode()
    assert editor.get(f"{CHANGELIST}add/").status_code == 403  # double opt-in only


def test_superusers_see_and_export_addresses(superuser):
    cluster = factories.cluster(name="Timber")
    subscription = confirmed(topic="cluster", cluster=cluster)
    other = confirmed(email="other@example.org")
    assert (
        'name="email"' in superuser.get(f"{CHANGELIST}{subscription.pk}/change/").content.decode()
    )
    found = superuser.get(f"{CHANGELIST}?q=other@").content.decode()
    assert f"{CHANGELIST}{other.pk}/change/" in found
    assert f"{CHANGELIST}{subscription.pk}/change/" not in found
    response = export(superuser, subscription)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("email,topic,subject")
    assert len(lines) == 2 and lines[1].startswith(f"{ADDRESS},cluster,Timber,")


def test_an_address_that_unsubscribed_must_confirm_anew(client, smtp):
    subscription = confirmed()
    token = tokens.make(subscription, tokens.MANAGE_SALT)
    assert client.post(f"/subscribe/unsubscribe/{token}/").status_code == 200
    assert not Subscription.objects.exists()
    # The old link is dead: it names a row that is gone.
    assert client.post(f"/subscribe/unsubscribe/{token}/").status_code == 400
    assert client.get(f"/subscribe/manage/{token}/").status_code == 400
    # Signed up again (by anyone): a new, unconfirmed row that receives no digest.
    assert sign_up(client).status_code == 302
    again = Subscription.objects.get()
    assert again.confirmed_at is None
    factories.article(published_at=timezone.now() - timedelta(minutes=5))
    smtp.clear()
    assert digest.send_digests("daily") == 0
    assert smtp.to(ADDRESS) == [] or all(
        "confirm" in m["Subject"].lower() for m in smtp.to(ADDRESS)
    )
