"""The event texts written in both languages (see portal/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Event


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "place", "description", "image_alt")
