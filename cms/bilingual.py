"""Editing the texts kept in both languages (each app's translation.py) in the admin.

The two languages of a text stand side by side on one row ("Title" beside "Title [ru]"),
arranged in the fieldsets here rather than by django-modeltranslation's ``TranslationAdmin``
and its tabs (they need jQuery UI, which the Content Security Policy would have to load from
elsewhere; and its renamed inputs would change every form the admin posts).
The admin search looks in both languages, and every list has a filter on translation.
"""

from contextlib import contextmanager

from django.conf import settings
from django.contrib import admin
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import fallbacks

from cms.translated import LANGUAGES, columns, missing_in, translated_fields

DEFAULT = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


class TranslationStateFilter(admin.SimpleListFilter):
    """Entries with a text written in one language but not in the other, or none such."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("missing-ru", _("missing in Russian")),
            ("missing-en", _("missing in English")),
            ("complete", _("complete")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in ("missing-ru", "missing-en"):
            return queryset.filter(missing_in(queryset.model, value.removeprefix("missing-")))
        if value == "complete":
            for language in LANGUAGES:
                queryset = queryset.exclude(missing_in(queryset.model, language))
            return queryset
        return queryset


class TranslatedAdmin:
    """Both languages of each text side by side: "Title" (English) beside "Title [ru]".

    The English input keeps the field's own name (``title``, so forms and their errors read
    as before) and is read and written in English without fallback; ``title_ru`` stands next
    to it. Also: the slug is typed from the name in either language, the admin search looks
    in both languages, and the lists filter by translation.
    """

    def _translated(self):
        return translated_fields(self.model)

    def _side_by_side(self, names):
        result = []
        for item in names:
            if isinstance(item, str) and item in self._translated():
                result.append((item, *(f"{item}_{code}" for code in LANGUAGES[1:])))
            elif isinstance(item, (tuple, list)):
                result.append(tuple(item))
            else:
                result.append(item)
        return result

    def get_fields(self, request, obj=None):
        hidden = set(columns(self.model, self._translated()))
        fields = [name for name in super().get_fields(request, obj) if name not in hidden]
        return self._side_by_side(fields)

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": self._side_by_side(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        translated = self._translated()

        class BilingualForm(form_class):
            def __init__(self, *args, **kwargs):
                with in_default_language():
                    super().__init__(*args, **kwargs)
                for name in translated:
                    for code in LANGUAGES:
                        field = self.fields.get(name if code == DEFAULT else f"{name}_{code}")
                        if field is not None:
                            label = capfirst(self._meta.model._meta.get_field(name).verbose_name)
                            # The English input keeps its plain label, as the history and
                            # the edit-conflict messages name it.
                            field.label = label if code == DEFAULT else f"{label} [{code}]"
                # A required text may be written in either language (a Russian editor writes
                # in Russian; the other language is then shown with its mark).
                self.either_language = {
                    name
                    for name in translated
                    if name in self.fields
                    and self.fields[name].required
                    and all(f"{name}_{code}" in self.fields for code in LANGUAGES[1:])
                }
                for name in self.either_language:
                    self.fields[name].required = False

            def clean(self):
                cleaned = super().clean()
                for name in self.either_language - set(self.errors):
                    texts = [cleaned.get(name)] + [
                        cleaned.get(f"{name}_{code}") for code in LANGUAGES[1:]
                    ]
                    if not any((text or "").strip() for text in texts):
                        self.add_error(name, _("Write this in English or in Russian."))
                return cleaned

            def _get_validation_exclusions(self):
                exclusions = super()._get_validation_exclusions()
                # Written in the other language only: the model's own check of the English
                # column would refuse what the form allows.
                for name in getattr(self, "either_language", ()):
                    if not (self.cleaned_data.get(name) or "").strip():
                        exclusions.add(name)
                return exclusions

            def _post_clean(self):
                with in_default_language():
                    super()._post_clean()

        return BilingualForm

    def get_prepopulated_fields(self, request, obj=None):
        # The slug from the name in either language: a Russian editor may write only the
        # Russian one (Django's URLify transliterates it).
        translated = self._translated()
        prepopulated = {}
        for target, sources in super().get_prepopulated_fields(request, obj).items():
            others = [f"{n}_{code}" for code in LANGUAGES[1:] for n in sources if n in translated]
            prepopulated[target] = [*sources, *others]
        return prepopulated

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), TranslationStateFilter]

    def get_search_fields(self, request):
        return list(columns(self.model, super().get_search_fields(request)))


@contextmanager
def in_default_language():
    """The untranslated names read and write the default language's columns, as they are."""
    with translation.override(DEFAULT), fallbacks(False):
        yield
