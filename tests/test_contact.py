"""/contact/: the contacts staff publish, the feedback form, its defences against spam, the
e-mail to staff and the messages in the admin (contact app)."""

import time

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.roles import EDITORS, PUBLISHERS
from contact import spam
from contact.forms import CONSENT_VERSION
from contact.models import ContactMessage

from . import factories

pytestmark = pytest.mark.django_db

STAFF = "desk@ino-tomsk.example"
ADMIN_LIST = "/admin/contact/contactmessage/"


def issued(seconds_ago=10):
    return signing.dumps(int(time.time()) - seconds_ago, salt=spam.SALT)


def form_data(**changes):
    data = {
        "name": "Анна Петрова",
        "email": "anna@example.org",
        "topic": "Partnership",
        "message": "Hello,\nwe would like to join the cluster.",
        "consent": "on",
        "website": "",
        "issued": issued(),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture(autouse=True)
def staff_address(settings):
    settings.CONTACT_EMAIL = STAFF


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """POST the form as a visitor, running what waits for the commit (the e-mail's task)."""

    def send(path="/contact/", visitor=client, **changes):
        with django_capture_on_commit_callbacks(execute=True):
            return visitor.post(path, form_data(**changes))

    return send


def test_the_page_in_both_languages_with_the_empty_state(client):
    for path, texts in [
        ("/contact/", ["Contacts", "are not published yet", "Send the message"]),
        ("/ru/contact/", ["Контакты", "пока не опубликованы", "Отправить сообщение"]),
    ]:
        response = client.get(path)
        assert response.status_code == 200
        body = response.content.decode()
        for text in texts:
            assert text in body
        # The form's CSRF token and signed time are never kept for others.
        assert "no-store" in response["Cache-Control"]
        assert 'name="issued"' in body and 'name="website"' in body
        assert "For staff" not in body  # the note on how to fill it is for staff only
    assert (
        "Даю согласие на обработку персональных данных"
        in client.get("/ru/contact/").content.decode()
    )


def test_the_contacts_come_from_the_page_staff_publish(client, admin_client):
    staff_view = admin_client.get("/contact/").content.decode()
    assert "For staff" in staff_view and "/admin/programme/page/add/?slug=contacts" in staff_view
    page = factories.page(slug="contacts", placement="none", body="Office: **Lenina 36**.")
    page.is_published = False
    page.save()
    assert "Lenina 36" not in client.get("/contact/").content.decode()
    page.is_published = True
    page.save()
    body = client.get("/contact/").content.decode()
    assert "<strong>Lenina 36</strong>" in body
    assert "are not published yet" not in body
    assert "For staff" not in admin_client.get("/contact/").content.decode()


def test_a_message_is_stored_and_e_mailed_to_staff(send):
    response = send(message="<b>Bold?</b> & <script>alert(1)</script>\nSecond line.")
    assert response.status_code == 302 and response["Location"] == "/contact/thanks/"
    (message,) = ContactMessage.objects.all()
    assert (message.name, message.email, message.topic) == (
        "Анна Петрова",
        "anna@example.org",
        "Partnership",
    )
    assert message.status == ContactMessage.Status.NEW and message.language == "en"
    assert message.consent_version == CONSENT_VERSION
    assert message.consent_text.startswith("I agree that the INO Tomsk programme may process")
    assert message.consented_at == message.received_at
    # The address only as a keyed hash.
    assert len(message.client_hash) == 64 and "127.0.0.1" not in message.client_hash
    (sent,) = mail.outbox
    assert sent.to == [STAFF] and sent.reply_to == ["anna@example.org"]
    assert sent.subject == "Message from the INO Tomsk website: Partnership"
    assert "<b>Bold?</b> & <script>alert(1)</script>\nSecond line." in sent.body  # as typed
    assert "&lt;" not in sent.body and sent.content_subtype == "plain"  # no HTML part
    assert not getattr(sent, "alternatives", None)
    assert f"/admin/contact/contactmessage/{message.pk}/change/" in sent.body
    message.refresh_from_db()
    assert message.mail_state == ContactMessage.Mail.SENT and message.mailed_at


def test_a_russian_message_is_e_mailed_in_russian(send):
    assert send("/ru/contact/").status_code == 302
    message = ContactMessage.objects.get()
    assert message.language == "ru"
    assert message.consent_text.startswith("Даю согласие на обработку")
    assert mail.outbox[0].subject == "Сообщение с сайта ИНО Томск: Partnership"
    assert "Имя: Анна Петрова" in mail.outbox[0].body


def test_the_thanks_page(client):
    for path, text in [("/contact/thanks/", "Thank you"), ("/ru/contact/thanks/", "Спасибо")]:
        response = client.get(path)
        assert response.status_code == 200 and text in response.content.decode()
        assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_without_a_staff_address_the_message_is_only_kept(send, settings):
    settings.CONTACT_EMAIL = ""
    assert send().status_code == 302
    assert ContactMessage.objects.get().mail_state == ContactMessage.Mail.SKIPPED
    assert mail.outbox == []


def test_a_mail_server_failure_keeps_the_message(
    send, settings, admin_client, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_contact.FailingBackend"
    assert send().status_code == 302
    message = ContactMessage.objects.get()
    assert message.mail_state == ContactMessage.Mail.FAILED
    # Staff send it again from the admin once the server answers.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    data = {"action": "send_mail_again", "_selected_action": [message.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(ADMIN_LIST, data)
    message.refresh_from_db()
    assert message.mail_state == ContactMessage.Mail.SENT and len(mail.outbox) == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


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


def test_the_page_keeps_the_query_budget(client):
    factories.page(slug="contacts", placement="none", body="Office.")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ru/contact/").status_code == 200
    assert len(queries) <= 12


def test_linked_from_every_footer_and_listed_in_the_sitemap(client):
    assert 'href="/contact/"' in client.get("/about/").content.decode()
    assert 'href="/ru/contact/"' in client.get("/ru/").content.decode()
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert "http://testserver/contact/" in sitemap and "http://testserver/ru/contact/" in sitemap


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
