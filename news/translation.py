"""The article texts written in both languages (see portal/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Article


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "lead", "body", "source", "image_alt")
