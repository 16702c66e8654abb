"""Every registered model's pages and messages in the Russian admin, in the right case and
number; the English admin keeps Django's wording."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cms.grammar import NOUNS
from contact.models import ContactMessage
from events.models import Event
from portal.models import KeyFact
from programme.models import Document, Page, RoadmapAction
from subscriptions.models import Subscription
from workflow.models import Notification, UserPreference

from .. import factories
from ..admin_forms import form_data
from .expected import EXPECTED

pytestmark = pytest.mark.django_db


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MISSING_KEY = "987654"


def _event():
    start = timezone.now() + timedelta(days=3)
    return Event.objects.create(
        title="Forum", slug=f"forum-{factories._n()}", start=start, end=start + timedelta(hours=2)
    )


def _document():
    document = Document(title="Concept", slug=f"concept-{factories._n()}", language="en")
    document.file = SimpleUploadedFile("concept.pdf", PDF, content_type="application/pdf")
    document.save()
    return document


def _subscription():

    return Subscription.objects.create(
        email=f"reader{factories._n()}@example.org",
        language="ru",
        consent_text="I agree.",
        consent_version="1",
        consented_at=timezone.now(),
    )


def _notification():

    return Notification.objects.create(key=f"k{factories._n()}", recipient=_user(), kind="live")


def _notification_profile():

    return UserPreference.objects.create(user=_user(), language="ru")


def _user():

    return get_user_model().objects.create_user(f"olga{factories._n()}", password="pw-for-tests")


BUILDERS = {
    "contact.contactmessage": lambda: ContactMessage.objects.create(
        name="Ivan",
        email="ivan@example.org",
        topic="Question",
        message="Hello",
        language="en",
        consent_text="I agree.",
        consent_version="1",
        consented_at=timezone.now(),
    ),
    "auth.group": lambda: Group.objects.create(name=f"Editors {factories._n()}"),
    "auth.user": _user,
    "clusters.cluster": factories.cluster,
    "events.event": _event,
    "news.article": factories.article,
    "portal.direction": factories.direction,
    "portal.keyfact": lambda: KeyFact.objects.create(order=factories._n(), figure="6", text="6."),
    "portal.park": factories.park,
    "portal.parktype": factories.park_type,
    "portal.project": factories.project,
    "portal.stakeholder": factories.stakeholder,
    "programme.document": _document,
    "programme.page": lambda: Page.objects.create(title="About", slug=f"about-{factories._n()}"),
    "programme.roadmapaction": lambda: RoadmapAction.objects.create(
        number=factories._n(), title="Action"
    ),
    "subscriptions.subscription": _subscription,
    "workflow.notification": _notification,
    "workflow.userpreference": _notification_profile,
}

REGISTERED = sorted(model._meta.label_lower for model in admin.site._registry)


def test_every_registered_model_has_its_sentences_and_forms():
    assert sorted(EXPECTED) == REGISTERED
    assert sorted(NOUNS) == REGISTERED
    assert sorted(BUILDERS) == REGISTERED


def plain(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def messages_of(response):
    return [plain(str(message)) for message in response.context["messages"]]


def count_form(forms, n):
    one, few, many = forms
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many


def admin_url(opts, view, *args):
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def add_data(label, obj, client):
    """What a browser posts to add an entry like ``obj`` (unique values changed)."""
    opts = obj._meta
    if label == "auth.user":
        return {
            "username": "natalia",
            "password1": "a-long-pw-for-tests",
            "password2": "a-long-pw-for-tests",
            "usable_password": "true",
            "_save": "Save",
        }
    data = form_data(client.get(admin_url(opts, "change", obj.pk)))
    data.pop("edit_token", None)
    for key in list(data):
        if re.search(r"-\d+-", key):
            del data[key]  # inline rows of the entry copied
        elif key.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS")):
            data[key] = "0"
    for field in opts.concrete_fields:
        if field.unique and not field.primary_key:
            for key in (field.name, f"{field.name}_en", f"{field.name}_ru"):
                if data.get(key):
                    value = data[key]
                    data[key] = str(int(value) + 1000) if value.isdigit() else f"{value}-2"
    if label == "programme.document":
        data["file"] = SimpleUploadedFile("copy.pdf", PDF, content_type="application/pdf")
    return data


@pytest.fixture
def russian_admin(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    return admin_client


@pytest.mark.parametrize("label", REGISTERED)
def test_the_russian_admin_names_the_model_grammatically(label, russian_admin):
    expected = EXPECTED[label]
    obj = BUILDERS[label]()
    model = type(obj)
    opts = model._meta

    listed = russian_admin.get(admin_url(opts, "changelist"))
    assert listed.context["title"] == expected["list_title"]
    count = model._default_manager.count()
    assert f"{count} {count_form(expected['counts'], count)}" in plain(listed.content.decode())

    # Entries that only come from elsewhere (contact messages) have no add page.
    if admin.site._registry[model].has_add_permission(listed.wsgi_request):
        assert expected["add_button"] in plain(listed.content.decode())
        adding = russian_admin.get(admin_url(opts, "add"))
        assert adding.context["title"] == expected["add_title"]
        assert f"› {expected['add_title']}" in plain(adding.content.decode())  # breadcrumbs

        added = russian_admin.post(
            admin_url(opts, "add"), add_data(label, obj, russian_admin), follow=True
        )
        new = model._default_manager.exclude(pk=obj.pk).order_by("-pk").first()
        assert new is not None and new.pk != obj.pk, plain(added.content.decode())[:600]
        added_message = expected["added"].format(obj=new)
        assert messages_of(added)[-1].startswith(added_message), messages_of(added)
    else:
        assert "add_button" not in expected
        assert russian_admin.get(admin_url(opts, "add")).status_code == 403

    changing = russian_admin.get(admin_url(opts, "change", obj.pk))
    assert changing.context["title"] == expected["change_title"]
    changed = russian_admin.post(
        admin_url(opts, "change", obj.pk), form_data(changing), follow=True
    )
    assert messages_of(changed) == [expected["changed"].format(obj=obj)], plain(
        changed.content.decode()
    )[:600]

    deleting = russian_admin.get(admin_url(opts, "delete", obj.pk))
    assert deleting.context["title"] == expected["delete_title"]
    assert expected["delete_question"].format(obj=obj) in plain(deleting.content.decode())
    shown = str(obj)
    deleted = russian_admin.post(admin_url(opts, "delete", obj.pk), {"post": "yes"}, follow=True)
    assert messages_of(deleted) == [expected["deleted"].format(obj=shown)]

    missing = russian_admin.get(admin_url(opts, "change", MISSING_KEY), follow=True)
    assert messages_of(missing) == [expected["missing"]]


def test_bulk_deletion_counts_in_russian(russian_admin):
    articles = [factories.article() for _ in range(3)]
    url = admin_url(articles[0]._meta, "changelist")
    listed = russian_admin.get(url)
    assert "Удалить выбранные статьи" in listed.content.decode()
    data = {"action": "delete_selected", "_selected_action": [a.pk for a in articles]}
    asked = russian_admin.post(url, data)
    assert "Вы уверены, что хотите удалить статьи?" in plain(asked.content.decode())
    done = russian_admin.post(url, {**data, "post": "yes"}, follow=True)
    assert messages_of(done) == ["Удалено: 3 статьи."]
    people = [factories.stakeholder() for _ in range(5)]
    url = admin_url(people[0]._meta, "changelist")
    assert "Удалить выбранных участников" in russian_admin.get(url).content.decode()
    data = {"action": "delete_selected", "_selected_action": [p.pk for p in people], "post": "yes"}
    assert messages_of(russian_admin.post(url, data, follow=True)) == ["Удалено: 5 участников."]


def test_the_english_admin_keeps_djangos_wording(admin_client):
    article = factories.article(title="Forum")
    opts = article._meta
    assert admin_client.get(admin_url(opts, "add")).context["title"] == "Add article"
    changing = admin_client.get(admin_url(opts, "change", article.pk))
    assert changing.context["title"] == "Change article"
    changed = admin_client.post(
        admin_url(opts, "change", article.pk), form_data(changing), follow=True
    )
    assert messages_of(changed) == ["The article “Forum” was changed successfully."]
