"""Helpers for the texts kept in both languages (portal/translation.py and the others).

A text is *missing* in a language when its column there is empty (NULL or ""). Pages show the
other language's text then; these helpers say which language a shown text is in, build the
SQL of "this language, else the other", and the conditions of the filters on translation.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def page_language():
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def other_language(language=None):
    language = language or page_language()
    return next(code for code in LANGUAGES if code != language)


def translated_fields(model):
    """The names of ``model``'s fields kept in both languages (empty if none)."""
    try:
        return tuple(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return ()


def stored_attname(field):
    """The attribute that holds ``field``'s stored value, whatever the active language.

    A text kept in both languages keeps its own name (``title``) beside its columns
    (``title_en``, ``title_ru``), but reading ``title`` gives the active language's text, or
    the other's where that is empty: the same entry reads differently in the Russian and the
    English admin. The admin's forms edit ``title`` as the default language's column, so that
    column stands for it here too.
    """
    if field.name in translated_fields(field.model):
        return f"{field.name}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"
    return field.attname


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


def localized_ordering(model, language=None):
    """``model``'s default ordering with each text kept in both languages read as
    ``localized()`` does (the page's language, else the other), then the primary key; None
    when the ordering names no such text. Lists on /ru/ then sort by the Russian name where
    there is one, not by the English column the indexes read."""
    ordering, changed = [], False
    for item in model._meta.ordering:
        path = item.lstrip("-") if isinstance(item, str) else None
        if path and _is_translated_path(model, path):
            text = localized(path, language)
            ordering.append(text.desc() if item.startswith("-") else text.asc())
            changed = True
        else:
            ordering.append(item)
    return [*ordering, "pk"] if changed else None


def _is_translated_path(model, path):
    """Whether ``path`` (``name``, ``stakeholder__name``) ends at a text kept in both
    languages."""
    *relations, name = path.split("__")
    for relation in relations:
        try:
            model = model._meta.get_field(relation).related_model
        except FieldDoesNotExist:  # not a field: an annotation or a lookup
            return False
        if model is None:
            return False
    return name in translated_fields(model)


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
