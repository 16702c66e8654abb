"""Bilingual saves in the admin: every model with texts in both languages, in the Russian and
the English admin (issue 20).

Opened and saved unchanged, an entry saves, twice, and no column changes. A change to the
Russian texts leaves the English columns byte for byte as they were, and the reverse. A real
edit by someone else between opening and saving is still refused, naming who made it.
"""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone

from cms.roles import PUBLISHERS
from cms.translated import LANGUAGES, translated_fields
from events.models import Event
from portal.models import KeyFact, KeyFactPart
from programme.models import Document, Page, RoadmapAction

from . import factories
from .admin_forms import change_url, errors, form_data, staff
from .versions.helpers import url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _key_fact():
    fact = KeyFact.objects.create(order=factories._n(), figure="250", text="Item.", unit="bln")
    KeyFactPart.objects.create(key_fact=fact, label="universities", value=6)
    return fact


def _event():
    start = timezone.now() + timedelta(days=3)
    return Event.objects.create(
        title="Forum", slug=f"forum-{factories._n()}", start=start, end=start + timedelta(hours=2)
    )


def _document():
    n = factories._n()
    document = Document(title="Concept", slug=f"concept-{n}", language="en")
    document.file = SimpleUploadedFile("concept.pdf", PDF, content_type="application/pdf")
    document.full_clean()
    document.save()
    return document


# One entry of each model, with its stakeholder roles, further figures or members where it
# has them. A model that gains translated texts and an admin needs a line here.
BUILDERS = {
    "portal.direction": factories.direction,
    "portal.keyfact": _key_fact,
    "portal.parktype": factories.park_type,
    "portal.stakeholder": factories.stakeholder,
    "portal.park": factories.park,
    "portal.project": lambda: factories.project(stakeholders=[(factories.stakeholder(), "lead")]),
    "clusters.cluster": lambda: factories.cluster(members=[(factories.stakeholder(), "member")]),
    "news.article": factories.article,
    "events.event": _event,
    "programme.roadmapaction": lambda: RoadmapAction.objects.create(number=1, title="Action"),
    "programme.page": lambda: Page.objects.create(title="About", slug="about-us"),
    "programme.document": _document,
}

TRANSLATED = sorted(
    model._meta.label_lower for model in admin.site._registry if translated_fields(model)
)


def _texts(model):
    """The translated texts a form shows: character fields, not files."""
    return [
        name
        for name in translated_fields(model)
        if isinstance(model._meta.get_field(name), (models.CharField, models.TextField))
    ]


def build(label):
    """An entry with different English and Russian texts in every translated field."""
    obj = BUILDERS[label]()
    for name in _texts(type(obj)):
        english = getattr(obj, f"{name}_en") or f"English {name}"
        setattr(obj, f"{name}_en", english)
        setattr(obj, f"{name}_ru", f"Русский текст: {name} {obj.pk}")
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.DateTimeField) and getattr(obj, field.attname):
            # Times as the admin's inputs show them: to the second.
            setattr(obj, field.attname, getattr(obj, field.attname).replace(microsecond=0))
    obj.save()
    return obj


def stored(obj):
    """Every stored column but the time of the last save, as the database holds it."""
    names = [f.attname for f in obj._meta.concrete_fields if f.name != "updated_at"]
    return type(obj)._base_manager.filter(pk=obj.pk).values(*names).get()


def column(language, name):
    """The form's input of a text in a language: the English one keeps the plain name."""
    return name if language == LANGUAGES[0] else f"{name}_{language}"


@pytest.fixture
def paula(django_user_model):
    return staff(django_user_model, "paula", PUBLISHERS)


@pytest.fixture
def olga(django_user_model):
    return staff(django_user_model, "olga", PUBLISHERS)


def in_admin_language(client, language):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language  # AdminLanguageMiddleware reads it
    return client


def save(client, url, **changes):
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302, errors(response)
    return response


@pytest.mark.parametrize("admin_language", LANGUAGES)
@pytest.mark.parametrize("label", TRANSLATED)
def test_bilingual_save(label, admin_language, paula, olga):
    paula = in_admin_language(paula, admin_language)
    olga = in_admin_language(olga, admin_language)
    obj = build(label)
    url = change_url(obj)
    texts = [name for name in _texts(type(obj)) if name in form_data(paula.get(url))]
    assert texts, label
    before = stored(obj)

    # Saved unchanged, twice: nothing is refused, and no column changes.
    save(paula, url)
    save(paula, url)
    assert stored(obj) == before

    # The texts of one language changed: the other language's columns stay byte for byte.
    for language in LANGUAGES:
        other = next(code for code in LANGUAGES if code != language)
        changes = {column(language, name): f"{name} ({language}, new)" for name in texts}
        save(paula, url, **changes)
        now = stored(obj)
        assert {name: now[f"{name}_{other}"] for name in texts} == {
            name: before[f"{name}_{other}"] for name in texts
        }
        assert {name: now[f"{name}_{language}"] for name in texts} == {
            name: f"{name} ({language}, new)" for name in texts
        }
        before = now

    # A real edit meanwhile: Olga changes the Russian main text while Paula has the form open.
    main = "title" if "title" in texts else "name" if "name" in texts else texts[0]
    stale = form_data(paula.get(url), **{main: "Paula's English"})
    save(olga, url, **{f"{main}_ru": "Текст Ольги"})
    response = paula.post(url, stale)
    assert response.status_code == 200
    message = " ".join(errors(response)[0])
    assert re.search(r"olga \([^)]*\d{4}", message), message  # who, and when (the date)
    after_olga = stored(obj)
    assert (after_olga[f"{main}_en"], after_olga[f"{main}_ru"]) == (
        before[f"{main}_en"],
        "Текст Ольги",
    )
    # Her text is now in the form; saving again keeps both sides' work.
    assert paula.post(url, form_data(response)).status_code == 302
    final = stored(obj)
    assert (final[f"{main}_en"], final[f"{main}_ru"]) == ("Paula's English", "Текст Ольги")


@pytest.mark.parametrize("label", TRANSLATED)
def test_the_slug_is_typed_from_the_name_in_either_language(label, paula):
    # A Russian editor may write only the Russian name; the add form's slug follows it too.
    model = apps.get_model(label)
    content = in_admin_language(paula, "ru").get(url(model, "add")).content.decode()
    found = re.search(r'data-prepopulated-fields="([^"]*)"', content)
    typed = json.loads(unescape(found.group(1))) if found else []
    expected = admin.site._registry[model].prepopulated_fields
    assert {field["name"]: field["dependency_ids"] for field in typed} == {
        target: [f"#id_{name}" for name in sources]
        + [f"#id_{name}_ru" for name in sources if name in translated_fields(model)]
        for target, sources in expected.items()
    }


def test_every_translated_admin_has_a_builder():
    assert set(TRANSLATED) == set(BUILDERS)
