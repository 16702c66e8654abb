"""The filter machinery of the public list pages, with facet counts.

Each FilterSet declares the query parameters a page accepts (slugs, repeatable, combinable);
nothing else from the query string reaches the ORM. A facet counts, for each option, the
results it would give within the other active filters: one GROUP BY over the filtered rows
per facet. Every relation a facet follows links a row to an option at most once (foreign
keys, or link tables with a unique pair), so the counts need no costly DISTINCT. Facets, counts
and the small option lists are kept for the current content version (public.caching), so they
cost nothing until content changes. The filter sets of each list live with its section.
"""

import copy
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast, ExtractYear
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from cms.translated import in_language, localized, other_language, page_language
from portal.models import Direction, ParkType

from .caching import versioned
from .textsearch import MAX_QUERY_LENGTH

# Facets over big tables list only their most frequent options (plus the selected ones).
LARGE_FACET_LIMIT = 20


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    # The language of ``label`` where it is not the page's (a missing translation).
    lang: str | None = None


@dataclass
class Facet:
    name: str
    label: str
    options: list
    truncated: bool = False


def small_option_lists():
    """{kind: [(slug, name, pk, lang)]} of the clusters, directions and park types, in one
    query; ``name`` in the page's language, or in ``lang`` where it has none there."""
    language, other = page_language(), other_language()

    def part(queryset, kind):
        # Plain columns (no rewriting by modeltranslation): the parts of a UNION must match.
        return (
            queryset.rewrite(False)
            .order_by()
            .values_list(Value(kind), "slug", f"name_{language}", f"name_{other}", "order", "pk")
        )

    def load():
        rows = part(Cluster.objects.published(), "cluster").union(
            part(Direction.objects.all(), "direction"),
            part(ParkType.objects.all(), "type"),
            all=True,
        )
        lists = {"cluster": [], "direction": [], "type": []}
        named = [
            (kind, slug, own or fallback, None if own else other, order, pk)
            for kind, slug, own, fallback, order, pk in rows
        ]
        for kind, slug, name, lang, _order, pk in sorted(
            named, key=lambda row: (row[0], row[4], row[2] or "")
        ):
            lists[kind].append((slug, name or "", pk, lang))
        return lists

    return versioned("small-options", [], load)


def chooses_nothing(value):
    """Whether a cleaned filter value is empty, without asking a queryset for its truth.

    Nothing chosen in a model choice field cleans to ``queryset.none()``, whose truth would
    compile a query; chosen rows are already loaded by the validation.
    """
    if isinstance(value, QuerySet):
        return value.query.is_empty()
    return not value


def _exists(qs, relation, values):
    inner = qs.model._base_manager.filter(pk=OuterRef("pk"), **{f"{relation}__in": values})
    return qs.filter(Exists(inner))


class ShallowCopyMixin:
    """Copied shallowly: every FilterSet deep-copies its filters, then only sets their
    ``parent`` and ``model``; deep copies of widgets, choices and lazy labels cost far more."""

    def __deepcopy__(self, memo):
        return copy.copy(self)


class OptionListFilter(ShallowCopyMixin, django_filters.MultipleChoiceFilter):
    """Repeatable slug filter over a small option list (``?cluster=a&cluster=b``: either).

    The FilterSet fills in the choices from the cached option lists, so validating costs
    no query.
    """

    def __init__(self, *args, kind, relation, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, choices=[], **kwargs)
        self.kind = kind
        self.relation = relation

    def filter(self, qs, value):
        return _exists(qs, f"{self.relation}__slug", value) if value else qs

    @property
    def count_path(self):
        """What the counts of this facet group by (counted with the others in one query)."""
        return f"{self.relation}__slug"

    def facet_options(self, counts, selected):
        return [
            FacetOption(slug, name, counts.get(slug, 0), slug in selected, lang)
            for slug, name, _pk, lang in small_option_lists()[self.kind]
        ]


class LargeSlugFilter(ShallowCopyMixin, django_filters.ModelMultipleChoiceFilter):
    """Repeatable slug filter over a big table (projects, stakeholders, parks).

    The choices are the published rows of ``model``, given as a callable: every FilterSet
    deep-copies its filters, and copying a queryset costs far more than copying a function.
    """

    def __init__(self, *args, model, relation, **kwargs):
        kwargs["queryset"] = lambda request: model.objects.published()
        self.option_model = model
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)
        self.relation = relation

    def filter(self, qs, value):
        if chooses_nothing(value):
            return qs
        return _exists(qs, self.relation, [obj.pk for obj in value])

    def facet(self, qs, selected, base):
        slug = f"{self.relation}__slug"
        language, other = page_language(), other_language()
        own, fallback = f"{self.relation}__name_{language}", f"{self.relation}__name_{other}"
        # Only published options, chosen in SQL before the top ones are taken.
        published = self.option_model.objects.published().values("pk")
        rows = (
            qs.rewrite(False)
            .order_by()
            .filter(**{f"{self.relation}__in": published})
            .values_list(slug, own, fallback)
            .annotate(n=Count("pk"), label=localized(f"{self.relation}__name"))
        )
        ordering = ["-n", "label"]
        if selected:  # the selected options first, so that they are never cut off
            rows = rows.annotate(
                chosen=Case(When(**{f"{slug}__in": selected}, then=Value(1)), default=Value(0))
            )
            ordering.insert(0, "-chosen")
        rows = list(rows.order_by(*ordering)[: LARGE_FACET_LIMIT + 1])
        return [
            FacetOption(
                row[0],
                row[1] or row[2] or "",
                row[3],
                row[0] in selected,
                None if row[1] else other,
            )
            for row in rows[:LARGE_FACET_LIMIT]
        ], len(rows) > LARGE_FACET_LIMIT


class ChoiceFacetFilter(ShallowCopyMixin, django_filters.MultipleChoiceFilter):
    """Repeatable filter over a field with fixed choices."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        # A field of the row itself cannot repeat a row; DISTINCT would only cost.
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    @property
    def count_path(self):
        return self.field_name

    def facet_options(self, counts, selected):
        return [
            FacetOption(value, str(label), counts.get(value, 0), value in selected)
            for value, label in self.extra["choices"]
        ]


class YearField(forms.TypedMultipleChoiceField):
    """Repeatable year; any plausible year is accepted, not only those with articles."""

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


class YearFilter(ShallowCopyMixin, django_filters.MultipleChoiceFilter):
    field_class = YearField

    def filter(self, qs, value):
        if not value:
            return qs
        # One range per year (``__year`` exact is a range lookup, ``__year__in`` is not),
        # so that the index on the publication time serves it.
        years = Q()
        for year in value:
            years |= Q(published_at__year=int(year))
        return qs.filter(years)

    @property
    def count_path(self):
        # As text, like the other facets' values it is counted with (UNION ALL).
        return Cast(ExtractYear("published_at"), output_field=CharField())

    def facet_options(self, counts, selected):
        """The years with content within the other filters, and the selected ones."""
        years = sorted({int(year) for year in counts} | {int(year) for year in selected})
        return [
            FacetOption(str(year), str(year), counts.get(str(year), 0), str(year) in selected)
            for year in reversed(years)
        ]


class QueryFilter(ShallowCopyMixin, django_filters.CharFilter):
    """The ``q`` text search of a list page."""

    def __init__(self, *args, search, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)
        self.search = search

    def filter(self, qs, value):
        value = (value or "").strip()
        return self.search(qs, value) if value else qs


class InLanguageFilter(ShallowCopyMixin, django_filters.ChoiceFilter):
    """``translated=1``: only the entries whose name (or title) is written in the page's
    language, leaving out those shown in the other language for want of a translation."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Language"))
        kwargs.setdefault("distinct", False)
        super().__init__(*args, choices=[("1", _("Only items in this language"))], **kwargs)

    def filter(self, qs, value):
        return qs.filter(in_language(qs.model)) if value == "1" else qs
