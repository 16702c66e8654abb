"""Refused messages: form errors that keep what was typed, the honeypot, the rate limit."""

import time

import pytest
from django.core import mail, signing
from django.test import Client

from contact import spam
from contact.models import ContactMessage

from .helpers import form_data, issued

pytestmark = pytest.mark.django_db


# A time stamp issued this many seconds before the test sends the form.
AGO = type("AGO", (int,), {})

# (what changes in the form, the field whose error shows or None, text of the error)
BAD_INPUT = [
    ({"consent": None}, "consent", "Tick the box to give your consent"),
    ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ({"email": "a@b@example.org"}, "email", "Enter a valid email address."),
    ({"message": "x" * 5001}, "message", "at most 5000 characters (it has 5001)"),
    ({"name": ""}, "name", "This field is required."),
    ({"topic": "x" * 201}, "topic", "at most 200 characters"),
    ({"topic": "Hello\r\nBcc: victim@example.org"}, "topic", "Write this on one line"),
    ({"name": "Anna\x07"}, "name", "Write this on one line"),
    ({"message": "text\x00more"}, "message", "Null characters are not allowed."),
    ({"message": "bell\x1b[31m"}, "message", "control characters"),
    ({"issued": AGO(0)}, None, "sent a moment after it was opened"),
    ({"issued": AGO(spam.MAX_SECONDS + 60)}, None, "open for too long"),
    ({"issued": "forged"}, None, "could not be checked"),
    ({"issued": None}, None, "could not be checked"),
    ({"issued": signing.dumps("soon", salt=spam.SALT)}, None, "could not be checked"),
]


@pytest.mark.parametrize("changes, field, error", BAD_INPUT)
def test_bad_input_is_a_form_error_and_keeps_what_was_typed(send, changes, field, error):
    changes = {k: issued(v) if isinstance(v, AGO) else v for k, v in changes.items()}
    response = send(**changes)
    assert response.status_code == 400
    body = response.content.decode()
    assert error in body
    assert "The message was not sent." in body
    if field:
        assert 'aria-invalid="true"' in body and f'id="id_{field}_error"' in body
    # What was typed is shown again, escaped.
    typed = form_data(**changes)
    for name in ("name", "email", "topic"):
        if "\x00" not in typed.get(name, "") and name != field:
            assert f'value="{typed[name]}"' in body
    assert "we would like to join the cluster." in body or field == "message"
    assert ContactMessage.objects.count() == 0 and mail.outbox == []


def test_a_refused_form_can_be_sent_again_as_shown(send, monkeypatch):
    refused = send(issued=issued(seconds_ago=0))
    fresh = refused.context["form"].issued_value
    assert f'name="issued" value="{fresh}"' in refused.content.decode()
    assert abs(signing.loads(fresh, salt=spam.SALT) - time.time()) < 5
    # A person reads it again and sends it a few seconds later.
    later = time.time() + spam.MIN_SECONDS + 1
    monkeypatch.setattr(spam.time, "time", lambda: later)
    assert send(issued=fresh).status_code == 302


def test_a_filled_honeypot_is_kept_as_spam_and_not_e_mailed(send):
    response = send(website="https://spam.example/")
    assert response.status_code == 302  # the program learns nothing
    message = ContactMessage.objects.get()
    assert message.status == ContactMessage.Status.SPAM
    assert message.mail_state == ContactMessage.Mail.SKIPPED
    assert mail.outbox == []


def test_a_client_over_the_rate_limit_gets_429_and_keeps_its_text(send, settings):
    for n in range(spam.RATE_LIMIT):
        assert send(topic=f"Topic {n}").status_code == 302
    refused = send(topic="One too many")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    body = refused.content.decode()
    assert "several messages in the last hour" in body and 'value="One too many"' in body
    assert ContactMessage.objects.count() == spam.RATE_LIMIT
    # Another address is not limited.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert send(visitor=other).status_code == 302


def test_the_limit_counts_the_client_behind_a_trusted_proxy(send, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    behind = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _ in range(spam.RATE_LIMIT):
        assert send(visitor=behind).status_code == 302
    assert send(visitor=behind).status_code == 429
    another = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert send(visitor=another).status_code == 302
    hashes = set(ContactMessage.objects.values_list("client_hash", flat=True))
    assert len(hashes) == 2
