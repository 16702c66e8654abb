"""The programme's texts written in both languages (see portal/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Document, Page, RoadmapAction


@register(RoadmapAction)
class RoadmapActionTranslation(TranslationOptions):
    fields = ("title", "description", "progress_note")


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "body")


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title",)
