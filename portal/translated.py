"""Helpers for the texts kept in both languages (portal/translation.py and the others).

A text is *missing* in a language when its column there is empty (NULL or ""). Pages show the
other language's text then; these helpers say which language a shown text is in, build the
SQL of "this language, else the other", and the conditions of the filters on translation.
"""

from django.conf import settings
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def page_language():
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def other_language(language=None):
    language = language or page_language()
    return next(code for code in LANGUAGES if code != language)


def translated_fields(model):
    """The names of ``model``'s fields kept in both languages (empty if none)."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        return tuple(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return ()


def main_field(model):
    return "title" if "title" in translated_fields(model) else "name"


def columns(model, fields):
    """``fields`` with each translated one replaced by its columns in every language."""
    translated = translated_fields(model)
    result = []
    for field in fields:
        result += [f"{field}_{code}" for code in LANGUAGES] if field in translated else [field]
    return tuple(result)


def localized(path, language=None):
    """SQL of the text at ``path`` (``name``, ``projects__name``) in ``language`` (the
    page's), or in the other language where it is empty."""
    language = language or page_language()
    return Coalesce(
        NullIf(F(f"{path}_{language}"), Value("")),
        F(f"{path}_{other_language(language)}"),
        output_field=TextField(),
    )


def has_text(path, language):
    return Q(**{f"{path}_{language}__isnull": False}) & ~Q(**{f"{path}_{language}": ""})


def missing_in(model, language):
    """Entries with a text written in another language but not in ``language``."""
    condition = Q()
    for field in translated_fields(model):
        for other in LANGUAGES:
            if other != language:
                condition |= has_text(field, other) & ~has_text(field, language)
    return condition


def in_language(model, language=None):
    """Entries whose name (or title) is written in ``language`` (the page's)."""
    return has_text(main_field(model), language or page_language())


def text_language(obj, field):
    """The language of the text ``obj.<field>`` shows, or None when it is the page's own
    (or there is no text at all)."""
    language = page_language()
    if getattr(obj, f"{field}_{language}", None):
        return None
    for code in LANGUAGES:
        if code != language and getattr(obj, f"{field}_{code}", None):
            return code
    return None


def copy_into_default_language(apps, app_label, model_fields):
    """Data migrations: every existing text into the default language's column."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    for model_name, fields in model_fields.items():
        model = apps.get_model(app_label, model_name)
        model._base_manager.update(**{f"{field}_{default}": F(field) for field in fields})
