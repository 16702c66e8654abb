"""Which texts are written in both languages (django-modeltranslation).

Each field named here gets a column per language (``name_en``, ``name_ru``); reading ``name``
gives the page's language, or the other one where that is empty (settings
``MODELTRANSLATION_FALLBACK_LANGUAGES``). Names that must be unique store an empty translation
as NULL, so that any number of entries may lack one.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Direction, KeyFact, KeyFactPart, Park, ParkType, Project, Stakeholder


@register(Direction)
class DirectionTranslation(TranslationOptions):
    fields = ("name", "summary")
    empty_values = {"name": None}


@register(KeyFact)
class KeyFactTranslation(TranslationOptions):
    fields = ("figure", "text", "label", "unit", "source_title")


@register(KeyFactPart)
class KeyFactPartTranslation(TranslationOptions):
    fields = ("label", "unit")


@register(Stakeholder)
class StakeholderTranslation(TranslationOptions):
    fields = ("name", "short_name", "description", "logo_alt", "city", "country", "address")


@register(ParkType)
class ParkTypeTranslation(TranslationOptions):
    fields = ("name",)
    empty_values = {"name": None}


@register(Park)
class ParkTranslation(TranslationOptions):
    fields = ("name", "description", "address", "image_alt")


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("name", "summary", "description", "image_alt")
