"""Admin log-in: throttled per account and per address, safe redirects, validated passwords."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.urls import reverse

from portal import security

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INVALID = (
    "Please enter the correct username and password for a staff account. "
    "Note that both fields may be case-sensitive."
)
LOCKED = "Too many failed log-in attempts. Wait 15 minutes and try again."


@pytest.fixture(autouse=True)
def local_cache(settings):
    """A private, working cache whatever the suite's settings say (counters live there)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "login-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "olga", password="Correct-horse-42", is_staff=True, is_superuser=True
    )


def log_in(client, username, password, address="192.0.2.10", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=address
    )


def errors(response):
    return response.context["form"].non_field_errors()


def test_correct_password_logs_in(client, staff):
    response = log_in(client, "olga", "Correct-horse-42")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_account_is_locked_after_a_handful_of_failures(client, staff):
    for _ in range(security.FAILURES_PER_ACCOUNT):
        response = log_in(client, "olga", "wrong")
        assert response.status_code == 200
        assert errors(response) == [INVALID]
    # Even the right password is refused now, from another address too.
    response = log_in(client, "olga", "Correct-horse-42", address="198.51.100.7")
    assert response.status_code == 200
    assert errors(response) == [LOCKED]
    assert SESSION_KEY not in client.session
    # Another account from the first address still works.
    User.objects.create_user("ivan", password="Another-pass-77", is_staff=True)
    assert log_in(client, "ivan", "Another-pass-77").status_code == 302


def test_unknown_user_gets_the_same_messages(client, staff):
    for _ in range(security.FAILURES_PER_ACCOUNT):
        assert errors(log_in(client, "nobody", "wrong")) == [INVALID]
    assert errors(log_in(client, "nobody", "wrong")) == [LOCKED]
    assert errors(log_in(client, "NoBody ", "wrong")) == [LOCKED]


def test_address_is_locked_after_failures_on_many_accounts(client, staff):
    for n in range(security.FAILURES_PER_ADDRESS):
        assert errors(log_in(client, f"guess{n}", "wrong", address="203.0.113.5")) == [INVALID]
    response = log_in(client, "olga", "Correct-horse-42", address="203.0.113.5")
    assert errors(response) == [LOCKED]
    assert log_in(client, "olga", "Correct-horse-42", address="203.0.113.6").status_code == 302


def test_success_clears_the_accounts_count(client, staff):
    for _round in range(2):
        for _ in range(security.FAILURES_PER_ACCOUNT - 1):
            log_in(client, "olga", "wrong", address=f"192.0.2.{_round}")
        assert (
            log_in(client, "olga", "Correct-horse-42", address=f"192.0.2.{_round}").status_code
            == 302
        )
        client.logout()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http:evil.example",
        "https://testserver.evil.example/admin/",
        "/\\evil.example",
    ],
)
def test_next_never_leaves_the_site(client, staff, target):
    response = log_in(client, "olga", "Correct-horse-42", next=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_next_within_the_site_is_followed(client, staff):
    target = reverse("admin:news_article_changelist")
    response = log_in(client, "olga", "Correct-horse-42", next=target)
    assert response["Location"] == target


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short."),
        ("password123", "This password is too common."),
        ("8402751936", "This password is entirely numeric."),
        ("olga-petrova", "The password is too similar to the username."),
    ],
)
def test_admin_refuses_weak_passwords(client, staff, password, message):
    client.force_login(staff)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "olga-petrova",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="olga-petrova").exists()


def test_admin_accepts_a_strong_password(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new-editor",
            "usable_password": "true",
            "password1": "Tomsk-river-in-spring-2026",
            "password2": "Tomsk-river-in-spring-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="new-editor").check_password("Tomsk-river-in-spring-2026")
