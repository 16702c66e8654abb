"""The filters a list declares: plain django-filter filters, each saying how it narrows the
rows and, as a facet, how its options are counted.

A list's filters are a ``ListFilterSet``, used as django-filter designs it: bound to the query
string, its ``form`` validates each parameter and its ``qs`` applies the valid ones. The listing
engine (``public.listing``) reads the declared filters (``base_filters``) and calls their
``filter(queryset, values)`` with the values a ``ListQuery`` keeps: the same values a field
cleans, as text (slugs, years, words). As facets:

- a ``GroupedFacet`` is counted by one GROUP BY path (``count_path``), all of them in one query,
  and turns the counts into options (``options``);
- a ``TopFacet`` (projects, stakeholders, parks: big tables) lists its most frequent options.

``chosen(cleaned)`` gives (value, label, language of the label) of what a field cleaned, for
the chips and titles.
"""

import copy
from functools import partial

import django_filters
from django import forms
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast, ExtractYear
from django.utils.translation import gettext_lazy as _

from cms.translated import in_language, main_field, text_language

from ..textsearch import MAX_QUERY_LENGTH
from .options import FacetOption, option_choices, small_option_lists


class CopiedShallowly:
    """A filter that a FilterSet copies shallowly. Every FilterSet deep-copies its declared
    filters and then sets only their ``parent`` and ``model``; deep copies of the lazy labels,
    choices and widgets cost more than the rest of validating a query."""

    def __deepcopy__(self, memo):
        clone = copy.copy(self)
        # django-filter writes into ``extra`` when it builds a field (a model choice's
        # queryset) and keeps the field: each copy has its own of both.
        clone.extra = dict(self.extra)
        clone.__dict__.pop("_field", None)
        return clone


class ListFilterSet(django_filters.FilterSet):
    """The filters of one public list (``Meta.model``: a model with ``objects.published()``)."""

    @classmethod
    def published(cls):
        """The rows the list starts from. Columns as named (no rewriting by modeltranslation):
        the facet counts are joined by UNION ALL, whose parts must select the same columns."""
        return cls._meta.model.objects.published().rewrite(False)


def linked(queryset, path, values):
    """Rows linked to any of ``values`` through ``path``, as a semi-join (no duplicates)."""
    inner = queryset.model._base_manager.filter(pk=OuterRef("pk"), **{f"{path}__in": values})
    return queryset.filter(Exists(inner))


class GroupedFacet:
    """A facet counted by one GROUP BY path, with the other such facets in one query."""

    count_path = None  # a field path or an expression giving the option's value as text

    def options(self, counts, selected):
        """[FacetOption] from {value: count} within the other filters."""
        raise NotImplementedError


class OptionFilter(CopiedShallowly, GroupedFacet, django_filters.MultipleChoiceFilter):
    """Repeatable slug over a small option list (``?cluster=a&cluster=b``: either). Its
    choices come from the kept option lists, so validating costs no query."""

    def __init__(self, *args, kind, relation, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, choices=partial(option_choices, kind), **kwargs)
        self.kind = kind
        self.relation = relation

    def filter(self, qs, value):
        return linked(qs, f"{self.relation}__slug", value) if value else qs

    @property
    def count_path(self):
        return f"{self.relation}__slug"

    def options(self, counts, selected):
        return [
            FacetOption(slug, name, counts.get(slug, 0), slug in selected, lang)
            for slug, name, _pk, lang in small_option_lists()[self.kind]
        ]

    def chosen(self, cleaned):
        named = {slug: (name, lang) for slug, name, _pk, lang in small_option_lists()[self.kind]}
        return [(slug, *named.get(slug, (slug, None))) for slug in cleaned]


class TopFacet:
    """A facet over a big table: only its most frequent options are listed."""


class LargeSlugFilter(CopiedShallowly, TopFacet, django_filters.ModelMultipleChoiceFilter):
    """Repeatable slug over a big table (projects, stakeholders, parks); only published rows
    are valid choices. The queryset is given as a callable, as django-filter allows: it is
    made only when a form validates."""

    def __init__(self, *args, model, relation, **kwargs):
        kwargs["queryset"] = lambda request: model.objects.published()
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)
        self.option_model = model
        self.relation = relation

    def filter(self, qs, value):
        # The cleaned rows, or their slugs as a ListQuery keeps them.
        slugs = [getattr(item, "slug", item) for item in value or ()]
        return linked(qs, f"{self.relation}__slug", slugs) if slugs else qs

    def chosen(self, cleaned):
        field = main_field(self.option_model)
        return [(str(obj.slug), str(obj), text_language(obj, field)) for obj in cleaned]


class ChoiceFacetFilter(CopiedShallowly, GroupedFacet, django_filters.MultipleChoiceFilter):
    """Repeatable value of a field with fixed choices (a status, a kind)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        # A field of the row itself cannot repeat a row: no DISTINCT.
        return qs.filter(**{f"{self.field_name}__in": list(value)}) if value else qs

    @property
    def count_path(self):
        return self.field_name

    def options(self, counts, selected):
        return [
            FacetOption(value, str(label), counts.get(value, 0), value in selected)
            for value, label in self.extra["choices"]
        ]

    def chosen(self, cleaned):
        labels = {str(value): str(label) for value, label in self.extra["choices"]}
        return [(value, labels.get(value, value), None) for value in cleaned]


class YearField(forms.TypedMultipleChoiceField):
    """Repeatable year; any plausible year is valid, not only those with rows."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("choices", None)
        super().__init__(*args, coerce=int, **kwargs)
        self.widget = forms.CheckboxSelectMultiple()

    def valid_value(self, value):
        # ASCII digits only: "²⁰¹⁷" and "①⑨①⑦" are digits to str.isdigit() but not to int().
        value = str(value)
        return (
            value.isascii() and value.isdigit() and len(value) == 4 and 1900 <= int(value) <= 2100
        )

    def validate(self, value):
        forms.Field.validate(self, value)
        for item in value:
            if not self.valid_value(item):
                raise forms.ValidationError(
                    _("“%(value)s” is not a year such as 2017."),
                    code="invalid_year",
                    params={"value": str(item)[:20]},
                )


class YearFilter(CopiedShallowly, GroupedFacet, django_filters.MultipleChoiceFilter):
    """Repeatable year of a date or time field (``field_name``; a time is read in the site's
    zone): ``?year=2016&year=2017`` is either. Rows without a date are in no year."""

    field_class = YearField

    def filter(self, qs, value):
        if not value:
            return qs
        # One range per year (``__year`` exact is a range lookup, ``__year__in`` is not),
        # so that an index on the field serves it.
        years = Q()
        for year in value:
            years |= Q(**{f"{self.field_name}__year": int(year)})
        return qs.filter(years)

    @property
    def count_path(self):
        # As text, like the other facets' values it is counted with (UNION ALL).
        return Cast(ExtractYear(self.field_name), output_field=CharField())

    def options(self, counts, selected):
        """The years with rows within the other filters, and the selected ones, newest first."""
        years = {int(year) for year, n in counts.items() if year is not None and n}
        years |= {int(year) for year in selected}
        return [
            FacetOption(str(year), str(year), counts.get(str(year), 0), str(year) in selected)
            for year in sorted(years, reverse=True)
        ]

    def chosen(self, cleaned):
        return [(str(year), str(year), None) for year in cleaned]


class SearchFilter(CopiedShallowly, django_filters.CharFilter):
    """The ``q`` words of a list. It applies after the other filters; a ``ranked`` search
    orders its matches by relevance, and the list keeps their keys (ranking is costly)."""

    def __init__(self, *args, search, ranked=False, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)
        self.search = search
        self.ranked = ranked

    def filter(self, qs, value):
        value = (value or "").strip()
        return self.search(qs, value) if value else qs

    def chosen(self, cleaned):
        return [(cleaned, cleaned, None)]


class InLanguageFilter(CopiedShallowly, django_filters.ChoiceFilter):
    """``translated=1``: only the entries whose name (or title) is written in the page's
    language, leaving out those shown in the other language for want of a translation."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Language"))
        super().__init__(*args, choices=[("1", _("Only items in this language"))], **kwargs)

    def filter(self, qs, value):
        return qs.filter(in_language(qs.model)) if value == "1" else qs

    def chosen(self, cleaned):
        return [(cleaned, str(self.extra["choices"][0][1]), None)]
