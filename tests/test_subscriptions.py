# ruff: noqa: F811 - the SMTP fixtures are imported, then named as parameters
"""E-mail subscriptions (subscriptions app): double opt-in, digests, one-click unsubscribe,
against a real SMTP server (tests/smtp.py)."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from subscriptions import digest, tokens
from subscriptions.models import Subscription

from . import factories
from .smtp import smtp, smtp_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def sign_up(client, prefix="", **data):
    form = {
        "email": "reader@example.org",
        "topic": "all",
        "frequency": "daily",
        "language": "ru" if prefix else "en",
        "consent": "on",
        **data,
    }
    return client.post(f"{prefix}/subscribe/", form)


def link(message, kind):
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"https?://\S+/subscribe/{kind}/\S+/", text).group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def confirmed(**kwargs):
    defaults = {
        "email": "reader@example.org",
        "consent_text": "x",
        "consent_version": "1",
        "frequency": "daily",
        "consented_at": timezone.now(),
        "confirmed_at": timezone.now() - timedelta(days=2),
    }
    return Subscription.objects.create(**{**defaults, **kwargs})


def test_double_opt_in_by_a_button(client, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, prefix="/ru")
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None and subscription.language == "ru"
    assert subscription.consent_version and "адрес" in subscription.consent_text
    [message] = smtp.to("reader@example.org")
    assert message["Subject"].strip() == "Подтвердите подписку на новости ИНО Томск"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("html",)) is not None
    url = path_of(link(message, "confirm"))
    assert url.startswith("/ru/subscribe/confirm/")
    # Opening the link (a scanner would) confirms nothing; the button does.
    assert client.get(url).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert client.post(url).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_known_and_unknown_addresses_get_the_same_answer(client, smtp):
    confirmed()
    known = sign_up(client)
    unknown = sign_up(client, email="stranger@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    follow = client.get(known["Location"]).content.decode()
    assert "reader@example.org" not in follow


def test_a_bad_address_is_a_form_error(client, smtp):
    response = sign_up(client, email="not an address")
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_cluster_subscription_needs_its_cluster(client, smtp):
    response = sign_up(client, topic="cluster")
    assert response.status_code == 400 and "Choose which one." in response.content.decode()


def test_the_honeypot_stores_nothing_and_answers_the_same(client, smtp):
    response = sign_up(client, website="http://spam.example")
    assert response.status_code == 302
    assert not Subscription.objects.exists() and not smtp.messages


def test_sign_ups_are_limited_per_client(client, smtp):
    for n in range(10):
        assert sign_up(client, email=f"r{n}@example.org").status_code == 302
    response = sign_up(client, email="r11@example.org")
    assert response.status_code == 429
    assert Subscription.objects.count() == 10


@pytest.mark.parametrize("kind", ["confirm", "manage", "unsubscribe"])
def test_a_bad_token_is_a_400(client, kind):
    method = client.post if kind == "unsubscribe" else client.get
    response = method(f"/subscribe/{kind}/not-a-token/")
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_an_expired_confirmation_is_refused_and_the_row_expires(client):
    subscription = confirmed(confirmed_at=None)
    token = tokens.make(subscription, tokens.CONFIRM_SALT)
    Subscription.objects.filter(pk=subscription.pk).update(
        created_at=timezone.now() - timedelta(days=4)
    )
    assert digest.expire_unconfirmed() == 1
    assert client.get(f"/subscribe/confirm/{token}/").status_code == 400


def test_a_digest_in_the_subscribers_language_then_nothing(client, smtp):
    timber = factories.cluster(name="Timber", name_ru="Лесной кластер", slug="timber")
    english = confirmed(email="en@example.org")
    russian = confirmed(email="ru@example.org", language="ru", topic="cluster", cluster=timber)
    article = factories.article(
        title="Forum opens",
        title_ru="Форум открылся",
        published_at=timezone.now() - timedelta(minutes=1),
    )
    article.clusters.add(timber)
    factories.article(title="Old news", published_at=timezone.now() - timedelta(days=5))
    assert digest.send_digests("weekly") == 0  # nobody is weekly
    assert digest.send_digests("daily") == 2
    [en] = smtp.to("en@example.org")
    [ru] = smtp.to("ru@example.org")
    assert "Forum opens" in en.get_body(("plain",)).get_content()
    assert "Old news" not in en.get_body(("plain",)).get_content()
    assert "Форум открылся" in ru.get_body(("html",)).get_content()
    assert "Лесной кластер" in ru["Subject"]
    for message in (en, ru):
        assert message["List-Unsubscribe"].strip().startswith("<http")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    english.refresh_from_db()
    assert english.last_sent_at is not None
    smtp.clear()
    # Nothing new since: nothing sent, even when due again.
    assert digest.send_digests("daily", now=timezone.now() + timedelta(days=1)) == 0
    assert not smtp.messages
    russian.refresh_from_db()


def test_one_click_unsubscribe_needs_no_csrf_token(smtp):
    subscription = confirmed()
    url = path_of(digest.mail.links(subscription)["unsubscribe"])
    client = Client(enforce_csrf_checks=True)
    assert client.get(url).status_code == 405  # a GET (a scanner) changes nothing
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert client.post(url).status_code == 400  # the token outlives nothing


def test_the_manage_page_changes_and_ends(client):
    subscription = confirmed()
    url = path_of(digest.mail.links(subscription)["manage"])
    html = client.get(url).content.decode()
    assert "reader@example.org" not in html
    assert client.post(url, {"frequency": "weekly", "language": "ru"}).status_code == 200
    subscription.refresh_from_db()
    assert (subscription.frequency, subscription.language) == ("weekly", "ru")
    assert client.post(url, {"end": "1"}).status_code == 200
    assert not Subscription.objects.exists()
