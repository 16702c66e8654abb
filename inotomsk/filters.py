"""Filters of the public list pages, with facet counts.

Each FilterSet declares the query parameters a page accepts (slugs, repeatable, combinable);
nothing else from the query string reaches the ORM. A facet counts, for each option, the
results it would give within the other active filters: one GROUP BY over the filtered rows
per facet. Every relation a facet follows links a row to an option at most once (foreign
keys, or link tables with a unique pair), so the counts need no costly DISTINCT. Facets, counts
and the small option lists are cached for the current content version (see inotomsk.cache), so
they cost nothing until content changes.
"""

import copy
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from news.models import Article
from portal.models import Direction, Park, ParkType, Project, Stakeholder

from .cache import versioned
from .search import MAX_QUERY_LENGTH, match_words, search_articles

# Facets over big tables list only their most frequent options (plus the selected ones).
LARGE_FACET_LIMIT = 20


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list
    truncated: bool = False


def small_option_lists():
    """{kind: [(slug, name)]} of the clusters, directions and park types, in one query."""

    def load():
        rows = (
            Cluster.objects.published()
            .order_by()
            .values_list(Value("cluster"), "slug", "name", "order")
            .union(
                Direction.objects.order_by().values_list(
                    Value("direction"), "slug", "name", "order"
                ),
                ParkType.objects.order_by().values_list(Value("type"), "slug", "name", "order"),
                all=True,
            )
        )
        lists = {"cluster": [], "direction": [], "type": []}
        for kind, slug, name, _order in sorted(rows, key=lambda row: (row[0], row[3], row[2])):
            lists[kind].append((slug, name))
        return lists

    return versioned("small-options", load)


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


def _counts(qs, path):
    return dict(qs.order_by().values_list(path).annotate(n=Count("pk")))


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

    def facet(self, qs, selected, base):
        counts = _counts(qs, f"{self.relation}__slug")
        return [
            FacetOption(slug, name, counts.get(slug, 0), slug in selected)
            for slug, name in self.parent.form.fields[self.field_name].choices
        ], False


class LargeSlugFilter(ShallowCopyMixin, django_filters.ModelMultipleChoiceFilter):
    """Repeatable slug filter over a big table (projects, stakeholders, parks).

    The choices are the published rows of ``model``, given as a callable: every FilterSet
    deep-copies its filters, and copying a queryset costs far more than copying a function.
    """

    def __init__(self, *args, model, relation, **kwargs):
        kwargs["queryset"] = lambda request: model.objects.published()
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)
        self.relation = relation

    def filter(self, qs, value):
        if chooses_nothing(value):
            return qs
        return _exists(qs, self.relation, [obj.pk for obj in value])

    def facet(self, qs, selected, base):
        slug, name, public = (f"{self.relation}__{f}" for f in ("slug", "name", "is_published"))
        rows = (
            qs.order_by()
            .filter(**{f"{self.relation}__isnull": False})
            .values_list(slug, name, public)
            .annotate(n=Count("pk"))
        )
        ordering = ["-n", name]
        if selected:  # the selected options first, so that they are never cut off
            rows = rows.annotate(
                chosen=Case(When(**{f"{slug}__in": selected}, then=Value(1)), default=Value(0))
            )
            ordering.insert(0, "-chosen")
        rows = [row for row in rows.order_by(*ordering)[: LARGE_FACET_LIMIT * 2] if row[2]]
        return [
            FacetOption(row[0], row[1], row[3], row[0] in selected)
            for row in rows[:LARGE_FACET_LIMIT]
        ], len(rows) > LARGE_FACET_LIMIT


class ChoiceFacetFilter(ShallowCopyMixin, django_filters.MultipleChoiceFilter):
    """Repeatable filter over a field with fixed choices."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        # A field of the row itself cannot repeat a row; DISTINCT would only cost.
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def facet(self, qs, selected, base):
        counts = _counts(qs, self.field_name)
        return [
            FacetOption(value, str(label), counts.get(value, 0), value in selected)
            for value, label in self.extra["choices"]
        ], False


class YearField(forms.TypedMultipleChoiceField):
    """Repeatable year; any plausible year is accepted, not only those with articles."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("choices", None)
        super().__init__(*args, coerce=int, **kwargs)
        self.widget = forms.CheckboxSelectMultiple()

    def valid_value(self, value):
        return str(value).isdigit() and len(str(value)) == 4 and 1900 <= int(value) <= 2100

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

    def facet(self, qs, selected, base):
        def by_year(rows):
            return dict(
                rows.order_by()
                .annotate(year=ExtractYear("published_at"))
                .values_list("year")
                .annotate(n=Count("pk"))
            )

        counts = by_year(qs)
        # Every year with content is an option; counted within the other filters.
        every_year = (
            counts
            if qs is base
            else versioned(f"years|{base.model._meta.label}", lambda: by_year(base))
        )
        years = sorted(set(every_year) | {int(year) for year in selected}, reverse=True)
        return [
            FacetOption(str(year), str(year), counts.get(year, 0), str(year) in selected)
            for year in years
        ], False


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


class FacetedFilterSet(django_filters.FilterSet):
    """Filters the published rows of its model; computes facets; drops (and reports)
    invalid values.

    What the parameters ask for, once validated (``state``), is kept for the content version:
    validating reads the content (which slugs exist) and builds a form, and only content
    changes can change the outcome. The form and the queryset are built only when rows must
    be read, which a page whose count and keys are kept never does.
    """

    @property
    def queryset(self):
        if self._published is None:
            self._published = self._meta.model.objects.published()
        return self._published

    @queryset.setter
    def queryset(self, value):
        # django-filter sets the queryset it is given, or all rows; ours are the published ones.
        self._published = None

    @property
    def form(self):
        """The validated form, built on first use."""
        if not hasattr(self, "_form"):
            form = super().form
            option_lists = None
            for name, filter_ in self.filters.items():
                if isinstance(filter_, OptionListFilter):
                    option_lists = option_lists or small_option_lists()
                    form.fields[name].choices = option_lists[filter_.kind]
            form.is_valid()
        return self._form

    def get_form_class(self):
        # django-filter builds a new form class for every FilterSet; ours never change.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @cached_property
    def state(self):
        """{"active": {name: [values]}, "errors": {name: [messages]}, "choices": [...]}."""
        if not self.data:
            return {"active": {}, "errors": {}, "choices": []}
        params = sorted((key, self.data.getlist(key)) for key in self.data)
        key = f"filters|{type(self).__name__}|{get_language()}|{params}"
        return versioned(key, self._validate)

    def _validate(self):
        cleaned, errors = self.form.cleaned_data, self.form.errors
        active, choices = {}, []
        for name in self.filters:
            if name in errors or chooses_nothing(cleaned.get(name)):
                continue
            value = cleaned[name]
            field = self.form.fields[name]
            if isinstance(value, str):
                active[name] = [value]
                labels = {}
            elif hasattr(field, "queryset"):
                active[name] = [str(obj.slug) for obj in value]
                labels = {str(obj.slug): str(obj) for obj in value}
            else:
                active[name] = [str(item) for item in value]
                options = getattr(field, "choices", None) or []
                labels = {str(option): str(label) for option, label in options}
            choices.extend((name, item, labels.get(item, item)) for item in active[name])
        return {
            "active": active,
            "errors": {
                name: [str(message) for message in messages] for name, messages in errors.items()
            },
            "choices": choices,
        }

    @property
    def active(self):
        """{name: [values]} of the filters that apply (invalid ones are dropped)."""
        return self.state["active"]

    @property
    def errors(self):
        """{name: [messages]} of the filters whose values were dropped."""
        return self.state["errors"]

    def active_choices(self):
        """(filter name, value, readable label) of each applied filter value."""
        return self.state["choices"]

    def active_labels(self):
        """Readable names of the applied filter values, for titles."""
        return [label for _name, _value, label in self.active_choices()]

    def filtered(self, exclude=None):
        qs = self.queryset
        cleaned = self.form.cleaned_data if self.data else {}
        # The text search last: it may keep only the newest matches, which must be the
        # newest matches within the other filters.
        in_order = sorted(self.filters.items(), key=lambda item: isinstance(item[1], QueryFilter))
        for name, filter_ in in_order:
            if name == exclude or name in self.errors:
                continue
            qs = filter_.filter(qs, cleaned.get(name))
        return qs

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = self.filtered()
        return self._qs

    @property
    def cache_key(self):
        """Names the filtered rows, for caching what is computed from them (labels included)."""
        active = sorted(self.active.items())
        return f"{self._meta.model._meta.label}|{get_language()}|{active}"

    def facets(self):
        active = self.active
        return versioned(f"facets|{self.cache_key}", lambda: self._compute_facets(active))

    def _compute_facets(self, active):
        result = []
        for name, filter_ in self.filters.items():
            if hasattr(filter_, "facet"):
                options, truncated = filter_.facet(
                    self.filtered(exclude=name), active.get(name, []), self.queryset
                )
                result.append(Facet(name, str(filter_.label), options, truncated))
        return result


class ArticleFilterSet(FacetedFilterSet):
    q = QueryFilter(search=search_articles)
    cluster = OptionListFilter(label=_("Cluster"), kind="cluster", relation="clusters")
    direction = OptionListFilter(label=_("Direction"), kind="direction", relation="directions")
    project = LargeSlugFilter(label=_("Project"), model=Project, relation="projects")
    stakeholder = LargeSlugFilter(
        label=_("Stakeholder"), model=Stakeholder, relation="stakeholders"
    )
    year = YearFilter(label=_("Year"))

    class Meta:
        model = Article
        fields = []


class ProjectFilterSet(FacetedFilterSet):
    q = QueryFilter(search=match_words)
    cluster = OptionListFilter(label=_("Cluster"), kind="cluster", relation="clusters")
    direction = OptionListFilter(label=_("Direction"), kind="direction", relation="direction")
    park = LargeSlugFilter(label=_("Park"), model=Park, relation="parks")
    stakeholder = LargeSlugFilter(
        label=_("Stakeholder"), model=Stakeholder, relation="stakeholders"
    )
    status = ChoiceFacetFilter(label=_("Status"), choices=Project.Status.choices)

    class Meta:
        model = Project
        fields = []


class StakeholderFilterSet(FacetedFilterSet):
    q = QueryFilter(search=match_words)
    kind = ChoiceFacetFilter(label=_("Kind"), choices=Stakeholder.Kind.choices)
    cluster = OptionListFilter(label=_("Cluster"), kind="cluster", relation="clusters")

    class Meta:
        model = Stakeholder
        fields = []


class ParkFilterSet(FacetedFilterSet):
    type = OptionListFilter(label=_("Type"), kind="type", relation="park_type")
    cluster = OptionListFilter(label=_("Cluster"), kind="cluster", relation="clusters")

    class Meta:
        model = Park
        fields = []
