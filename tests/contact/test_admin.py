"""Messages in the admin: listed as plain text, their status set, read only by staff
allowed to."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from cms.roles import EDITORS, PUBLISHERS
from contact.models import ContactMessage

from .helpers import ADMIN_LIST

pytestmark = pytest.mark.django_db


# The admin


@pytest.fixture
def messages_received(db):
    common = {"consent_text": "I agree.", "consent_version": "1", "language": "en"}
    new = ContactMessage.objects.create(
        name="Ivan",
        email="ivan@example.org",
        topic="Question",
        message="<script>alert('x')</script>\nSecond line",
        consented_at=timezone.now(),
        **common,
    )
    spammy = ContactMessage.objects.create(
        name="Bot",
        email="bot@example.org",
        topic="Cheap pills",
        message="Buy",
        status=ContactMessage.Status.SPAM,
        consented_at=timezone.now(),
        **common,
    )
    return new, spammy


def test_the_admin_lists_filters_and_shows_plain_text(admin_client, messages_received):
    new, spammy = messages_received
    listed = admin_client.get(ADMIN_LIST, {"status__exact": "new"}).content.decode()
    assert "Question" in listed and "Cheap pills" not in listed
    assert admin_client.get(ADMIN_LIST + "add/").status_code == 403
    shown = admin_client.get(f"{ADMIN_LIST}{new.pk}/change/").content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>Second line" in shown
    assert "<script>alert(" not in shown
    assert 'name="message"' not in shown  # read-only


def test_admin_actions_set_the_status(admin_client, messages_received):
    new, spammy = messages_received
    data = {"action": "mark_answered", "_selected_action": [new.pk, spammy.pk]}
    response = admin_client.post(ADMIN_LIST, data, follow=True)
    assert "2 messages marked “Answered”." in response.content.decode()
    assert set(ContactMessage.objects.values_list("status", flat=True)) == {"answered"}
    admin_client.post(ADMIN_LIST, {"action": "mark_spam", "_selected_action": [new.pk]})
    new.refresh_from_db()
    assert new.status == ContactMessage.Status.SPAM


def test_who_may_read_the_messages(client, django_user_model, messages_received):
    new, _spammy = messages_received

    def staff(name, group):
        user = django_user_model.objects.create_user(name, password="pw-for-tests", is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        visitor = Client()
        visitor.force_login(user)
        return visitor

    for group in (EDITORS, PUBLISHERS):
        assert staff(f"user-{group}", group).get(ADMIN_LIST).status_code == 403
    desk = staff("desk", "Contact desk")
    assert desk.get(ADMIN_LIST).status_code == 200
    desk.post(ADMIN_LIST, {"action": "mark_answered", "_selected_action": [new.pk]})
    new.refresh_from_db()
    assert new.status == ContactMessage.Status.ANSWERED
    assert desk.get(f"{ADMIN_LIST}{new.pk}/delete/").status_code == 403
