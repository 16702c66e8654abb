"""The Russian admin names every model in the case and gender its sentences need
(cms/grammar.py): list, add, change and delete pages, the add button, the success and
error messages, checked against real admin responses for every registered model. A model
registered without a line here (or in its app's admin_nouns, cms/nouns.py) fails the test."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cms.grammar import NOUNS
from contact.models import ContactMessage
from events.models import Event
from portal.models import KeyFact
from programme.models import Document, Page, RoadmapAction

from . import factories
from .test_edit_conflicts import form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MISSING_KEY = "987654"

EXPECTED = {
    "auth.group": {
        "list_title": "Выберите группу для изменения",
        "add_button": "Добавить группу",
        "add_title": "Добавить группу",
        "change_title": "Изменить группу",
        "delete_title": "Удалить группу",
        "delete_question": "Вы уверены, что хотите удалить группу «{obj}»?",
        "added": "Группа «{obj}» успешно добавлена.",
        "changed": "Группа «{obj}» успешно изменена.",
        "deleted": "Группа «{obj}» успешно удалена.",
        "missing": "Группа с идентификатором «987654» не найдена. Возможно, она была удалена?",
        "counts": ("группа", "группы", "групп"),
    },
    "auth.user": {
        "list_title": "Выберите пользователя для изменения",
        "add_button": "Добавить пользователя",
        "add_title": "Добавить пользователя",
        "change_title": "Изменить пользователя",
        "delete_title": "Удалить пользователя",
        "delete_question": "Вы уверены, что хотите удалить пользователя «{obj}»?",
        "added": "Пользователь «{obj}» успешно добавлен.",
        "changed": "Пользователь «{obj}» успешно изменён.",
        "deleted": "Пользователь «{obj}» успешно удалён.",
        "missing": "Пользователь с идентификатором «987654» не найден. Возможно, он был удалён?",
        "counts": ("пользователь", "пользователя", "пользователей"),
    },
    "clusters.cluster": {
        "list_title": "Выберите кластер для изменения",
        "add_button": "Добавить кластер",
        "add_title": "Добавить кластер",
        "change_title": "Изменить кластер",
        "delete_title": "Удалить кластер",
        "delete_question": "Вы уверены, что хотите удалить кластер «{obj}»?",
        "added": "Кластер «{obj}» успешно добавлен.",
        "changed": "Кластер «{obj}» успешно изменён.",
        "deleted": "Кластер «{obj}» успешно удалён.",
        "missing": "Кластер с идентификатором «987654» не найден. Возможно, он был удалён?",
        "counts": ("кластер", "кластера", "кластеров"),
    },
    "events.event": {
        "list_title": "Выберите событие для изменения",
        "add_button": "Добавить событие",
        "add_title": "Добавить событие",
        "change_title": "Изменить событие",
        "delete_title": "Удалить событие",
        "delete_question": "Вы уверены, что хотите удалить событие «{obj}»?",
        "added": "Событие «{obj}» успешно добавлено.",
        "changed": "Событие «{obj}» успешно изменено.",
        "deleted": "Событие «{obj}» успешно удалено.",
        "missing": "Событие с идентификатором «987654» не найдено. Возможно, оно было удалено?",
        "counts": ("событие", "события", "событий"),
    },
    "news.article": {
        "list_title": "Выберите статью для изменения",
        "add_button": "Добавить статью",
        "add_title": "Добавить статью",
        "change_title": "Изменить статью",
        "delete_title": "Удалить статью",
        "delete_question": "Вы уверены, что хотите удалить статью «{obj}»?",
        "added": "Статья «{obj}» успешно добавлена.",
        "changed": "Статья «{obj}» успешно изменена.",
        "deleted": "Статья «{obj}» успешно удалена.",
        "missing": "Статья с идентификатором «987654» не найдена. Возможно, она была удалена?",
        "counts": ("статья", "статьи", "статей"),
    },
    "portal.direction": {
        "list_title": "Выберите направление для изменения",
        "add_button": "Добавить направление",
        "add_title": "Добавить направление",
        "change_title": "Изменить направление",
        "delete_title": "Удалить направление",
        "delete_question": "Вы уверены, что хотите удалить направление «{obj}»?",
        "added": "Направление «{obj}» успешно добавлено.",
        "changed": "Направление «{obj}» успешно изменено.",
        "deleted": "Направление «{obj}» успешно удалено.",
        "missing": "Направление с идентификатором «987654» не найдено. Возможно, оно было удалено?",
        "counts": ("направление", "направления", "направлений"),
    },
    "portal.keyfact": {
        "list_title": "Выберите ключевой показатель для изменения",
        "add_button": "Добавить ключевой показатель",
        "add_title": "Добавить ключевой показатель",
        "change_title": "Изменить ключевой показатель",
        "delete_title": "Удалить ключевой показатель",
        "delete_question": "Вы уверены, что хотите удалить ключевой показатель «{obj}»?",
        "added": "Ключевой показатель «{obj}» успешно добавлен.",
        "changed": "Ключевой показатель «{obj}» успешно изменён.",
        "deleted": "Ключевой показатель «{obj}» успешно удалён.",
        "missing": "Ключевой показатель с идентификатором «987654» не найден. Возможно, он был удалён?",
        "counts": ("ключевой показатель", "ключевых показателя", "ключевых показателей"),
    },
    "portal.park": {
        "list_title": "Выберите парк для изменения",
        "add_button": "Добавить парк",
        "add_title": "Добавить парк",
        "change_title": "Изменить парк",
        "delete_title": "Удалить парк",
        "delete_question": "Вы уверены, что хотите удалить парк «{obj}»?",
        "added": "Парк «{obj}» успешно добавлен.",
        "changed": "Парк «{obj}» успешно изменён.",
        "deleted": "Парк «{obj}» успешно удалён.",
        "missing": "Парк с идентификатором «987654» не найден. Возможно, он был удалён?",
        "counts": ("парк", "парка", "парков"),
    },
    "portal.parktype": {
        "list_title": "Выберите тип парка для изменения",
        "add_button": "Добавить тип парка",
        "add_title": "Добавить тип парка",
        "change_title": "Изменить тип парка",
        "delete_title": "Удалить тип парка",
        "delete_question": "Вы уверены, что хотите удалить тип парка «{obj}»?",
        "added": "Тип парка «{obj}» успешно добавлен.",
        "changed": "Тип парка «{obj}» успешно изменён.",
        "deleted": "Тип парка «{obj}» успешно удалён.",
        "missing": "Тип парка с идентификатором «987654» не найден. Возможно, он был удалён?",
        "counts": ("тип парка", "типа парков", "типов парков"),
    },
    "portal.project": {
        "list_title": "Выберите проект для изменения",
        "add_button": "Добавить проект",
        "add_title": "Добавить проект",
        "change_title": "Изменить проект",
        "delete_title": "Удалить проект",
        "delete_question": "Вы уверены, что хотите удалить проект «{obj}»?",
        "added": "Проект «{obj}» успешно добавлен.",
        "changed": "Проект «{obj}» успешно изменён.",
        "deleted": "Проект «{obj}» успешно удалён.",
        "missing": "Проект с идентификатором «987654» не найден. Возможно, он был удалён?",
        "counts": ("проект", "проекта", "проектов"),
    },
    "portal.stakeholder": {
        "list_title": "Выберите участника для изменения",
        "add_button": "Добавить участника",
        "add_title": "Добавить участника",
        "change_title": "Изменить участника",
        "delete_title": "Удалить участника",
        "delete_question": "Вы уверены, что хотите удалить участника «{obj}»?",
        "added": "Участник «{obj}» успешно добавлен.",
        "changed": "Участник «{obj}» успешно изменён.",
        "deleted": "Участник «{obj}» успешно удалён.",
        "missing": "Участник с идентификатором «987654» не найден. Возможно, он был удалён?",
        "counts": ("участник", "участника", "участников"),
    },
    "programme.document": {
        "list_title": "Выберите документ для изменения",
        "add_button": "Добавить документ",
        "add_title": "Добавить документ",
        "change_title": "Изменить документ",
        "delete_title": "Удалить документ",
        "delete_question": "Вы уверены, что хотите удалить документ «{obj}»?",
        "added": "Документ «{obj}» успешно добавлен.",
        "changed": "Документ «{obj}» успешно изменён.",
        "deleted": "Документ «{obj}» успешно удалён.",
        "missing": "Документ с идентификатором «987654» не найден. Возможно, он был удалён?",
        "counts": ("документ", "документа", "документов"),
    },
    "programme.page": {
        "list_title": "Выберите страницу для изменения",
        "add_button": "Добавить страницу",
        "add_title": "Добавить страницу",
        "change_title": "Изменить страницу",
        "delete_title": "Удалить страницу",
        "delete_question": "Вы уверены, что хотите удалить страницу «{obj}»?",
        "added": "Страница «{obj}» успешно добавлена.",
        "changed": "Страница «{obj}» успешно изменена.",
        "deleted": "Страница «{obj}» успешно удалена.",
        "missing": "Страница с идентификатором «987654» не найдена. Возможно, она была удалена?",
        "counts": ("страница", "страницы", "страниц"),
    },
    "contact.contactmessage": {
        "list_title": "Выберите сообщение с сайта для изменения",
        "change_title": "Изменить сообщение с сайта",
        "delete_title": "Удалить сообщение с сайта",
        "delete_question": "Вы уверены, что хотите удалить сообщение с сайта «{obj}»?",
        "changed": "Сообщение с сайта «{obj}» успешно изменено.",
        "deleted": "Сообщение с сайта «{obj}» успешно удалено.",
        "missing": "Сообщение с сайта с идентификатором «987654» не найдено. Возможно, оно было удалено?",
        "counts": ("сообщение с сайта", "сообщения с сайта", "сообщений с сайта"),
    },
    "subscriptions.subscription": {
        "list_title": "Выберите подписку для изменения",
        "change_title": "Изменить подписку",
        "delete_title": "Удалить подписку",
        "delete_question": "Вы уверены, что хотите удалить подписку «{obj}»?",
        "changed": "Подписка «{obj}» успешно изменена.",
        "deleted": "Подписка «{obj}» успешно удалена.",
        "missing": "Подписка с идентификатором «987654» не найдена. Возможно, она была удалена?",
        "counts": ("подписка", "подписки", "подписок"),
    },
    "workflow.notification": {
        "list_title": "Выберите уведомление для изменения",
        "change_title": "Изменить уведомление",
        "delete_title": "Удалить уведомление",
        "delete_question": "Вы уверены, что хотите удалить уведомление «{obj}»?",
        "changed": "Уведомление «{obj}» успешно изменено.",
        "deleted": "Уведомление «{obj}» успешно удалено.",
        "missing": "Уведомление с идентификатором «987654» не найдено. Возможно, оно было удалено?",
        "counts": ("уведомление", "уведомления", "уведомлений"),
    },
    "workflow.userpreference": {
        "list_title": "Выберите профиль уведомлений для изменения",
        "change_title": "Изменить профиль уведомлений",
        "delete_title": "Удалить профиль уведомлений",
        "delete_question": "Вы уверены, что хотите удалить профиль уведомлений «{obj}»?",
        "changed": "Профиль уведомлений «{obj}» успешно изменён.",
        "deleted": "Профиль уведомлений «{obj}» успешно удалён.",
        "missing": "Профиль уведомлений с идентификатором «987654» не найден. Возможно, он был удалён?",
        "counts": ("профиль уведомлений", "профиля уведомлений", "профилей уведомлений"),
    },
    "programme.roadmapaction": {
        "list_title": "Выберите мероприятие дорожной карты для изменения",
        "add_button": "Добавить мероприятие дорожной карты",
        "add_title": "Добавить мероприятие дорожной карты",
        "change_title": "Изменить мероприятие дорожной карты",
        "delete_title": "Удалить мероприятие дорожной карты",
        "delete_question": "Вы уверены, что хотите удалить мероприятие дорожной карты «{obj}»?",
        "added": "Мероприятие дорожной карты «{obj}» успешно добавлено.",
        "changed": "Мероприятие дорожной карты «{obj}» успешно изменено.",
        "deleted": "Мероприятие дорожной карты «{obj}» успешно удалено.",
        "missing": "Мероприятие дорожной карты с идентификатором «987654» не найдено. Возможно, оно было удалено?",
        "counts": (
            "мероприятие дорожной карты",
            "мероприятия дорожной карты",
            "мероприятий дорожной карты",
        ),
    },
}


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
    from subscriptions.models import Subscription

    return Subscription.objects.create(
        email=f"reader{factories._n()}@example.org",
        language="ru",
        consent_text="I agree.",
        consent_version="1",
        consented_at=timezone.now(),
    )


def _notification():
    from workflow.models import Notification

    return Notification.objects.create(key=f"k{factories._n()}", recipient=_user(), kind="live")


def _notification_profile():
    from workflow.models import UserPreference

    return UserPreference.objects.create(user=_user(), language="ru")


def _user():
    from django.contrib.auth import get_user_model

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
