"""A model's name as Russian declines it, for the admin's sentences (cms/grammar.py).

The admin platform knows no content model: each app names its models' nouns on its AppConfig,
``admin_nouns = {"article": Noun(FEMININE, "article", "articles")}``, and ``NOUNS`` reads them
from the installed apps when used (with Django's own models, ``BUILT_IN``). Each form is the
translation of the English name in its case's context (locale/ru: "accusative", "genitive",
"accusative plural", "genitive plural"); the gender with animacy chooses the context of the
sentences whose words agree with the name.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.apps import apps as registry
from django.utils.translation import npgettext, pgettext

# Contexts of the sentences whose words agree with the model's name.
MASCULINE, MASCULINE_ANIMATE, FEMININE, NEUTER = (
    "masculine",
    "masculine animate",
    "feminine",
    "neuter",
)


@dataclass(frozen=True)
class Noun:
    """A model's name as Russian declines it; each form is the translation of the English name
    in its case's context (the English singular or plural, as the form is)."""

    gender: str
    singular: str
    plural: str

    def accusative(self):
        return pgettext("accusative", self.singular)

    def genitive(self):
        return pgettext("genitive", self.singular)

    def accusative_plural(self):
        return pgettext("accusative plural", self.plural)

    def genitive_plural(self):
        return pgettext("genitive plural", self.plural)

    def count(self, number):
        """``number`` of them: "1 статья", "3 статьи", "5 статей"."""
        return npgettext(
            "admin count", f"%(count)s {self.singular}", f"%(count)s {self.plural}", number
        ) % {"count": number}


# Django's own models in the admin (they declare nothing).
BUILT_IN = {
    "auth.group": Noun(FEMININE, "group", "groups"),
    "auth.user": Noun(MASCULINE_ANIMATE, "user", "users"),
}


class DeclaredNouns(Mapping):
    """The Noun of each "app_label.model_name" that an installed app names in its
    ``admin_nouns`` (tests/admin_grammar/ fails on a registered model without one)."""

    def _nouns(self):
        nouns = dict(BUILT_IN)
        for config in registry.get_app_configs():
            for model_name, noun in getattr(config, "admin_nouns", {}).items():
                nouns[f"{config.label}.{model_name}"] = noun
        return nouns

    def __getitem__(self, label):
        return self._nouns()[label]

    def __iter__(self):
        return iter(self._nouns())

    def __len__(self):
        return len(self._nouns())


NOUNS = DeclaredNouns()
