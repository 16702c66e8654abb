"""The cluster texts written in both languages (see portal/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Cluster


@register(Cluster)
class ClusterTranslation(TranslationOptions):
    fields = ("name", "summary", "description", "image_alt")
    empty_values = {"name": None}
