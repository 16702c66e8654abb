"""Safe redirects after log-in, and the admin's password validation."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from .helpers import log_in

pytestmark = pytest.mark.django_db


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
