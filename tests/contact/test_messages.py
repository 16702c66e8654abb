"""/contact/: the contacts staff publish, and messages stored and e-mailed to staff in
the sender's language, kept when the mail server fails."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contact.forms import CONSENT_VERSION
from contact.models import ContactMessage

from .. import factories
from .helpers import ADMIN_LIST, STAFF

pytestmark = pytest.mark.django_db


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
    settings.EMAIL_BACKEND = "tests.contact.helpers.FailingBackend"
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
