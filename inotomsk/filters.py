"""Filters of the public list pages, with facet counts.

Each FilterSet declares the query parameters a page accepts (slugs, repeatable, combinable);
nothing else from the query string reaches the ORM. A facet counts, for each option, the
results it would give within the other active filters.
"""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from news.models import Article
from portal.models import Direction, Park, ParkType, Project, Stakeholder

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


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable slug filter (``?cluster=a&cluster=b`` means either), as an EXISTS subquery.

    ``relation`` is the path from the listed model to the option model; an EXISTS keeps
    rows unique without DISTINCT.
    """

    def __init__(self, *args, relation, facet_relation, large=False, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)
        self.relation = relation
        self.facet_relation = facet_relation
        self.large = large

    def filter(self, qs, value):
        if not value:
            return qs
        inner = qs.model._base_manager.filter(
            pk=OuterRef("pk"), **{f"{self.relation}__in": [obj.pk for obj in value]}
        )
        return qs.filter(Exists(inner))

    def facet(self, qs, selected, base):
        """Options with the number of rows of ``qs`` that each would give."""
        options = self.queryset.annotate(
            facet_count=Count(self.facet_relation, filter=Q(**{f"{self.facet_relation}__in": qs}))
        )
        if self.large:
            ordering = ["-facet_count", "name"]
            if selected:  # selected options first, so that they are never cut off
                chosen = Case(When(slug__in=selected, then=Value(1)), default=Value(0))
                options = options.annotate(chosen=chosen)
                ordering.insert(0, "-chosen")
            options = options.filter(Q(facet_count__gt=0) | Q(slug__in=selected)).order_by(
                *ordering
            )[: LARGE_FACET_LIMIT + 1]
        rows = list(options.values_list("slug", "name", "facet_count"))
        truncated = len(rows) > LARGE_FACET_LIMIT if self.large else False
        return [
            FacetOption(slug, name, count, slug in selected)
            for slug, name, count in rows[:LARGE_FACET_LIMIT]
        ], truncated


class ChoiceFacetFilter(django_filters.MultipleChoiceFilter):
    """Repeatable filter over a field with fixed choices."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    def facet(self, qs, selected, base):
        counts = dict(qs.order_by().values_list(self.field_name).annotate(n=Count("pk")))
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


class YearFilter(django_filters.MultipleChoiceFilter):
    field_class = YearField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(published_at__year__in=[int(year) for year in value])

    def facet(self, qs, selected, base):
        # Every year with content is an option, counted within the other filters.
        count = Count("pk") if qs is base else Count("pk", filter=Q(pk__in=qs.values("pk")))
        rows = (
            base.order_by()
            .annotate(year=ExtractYear("published_at"))
            .values_list("year")
            .annotate(n=count)
            .order_by("-year")
        )
        counts = dict(rows)
        years = sorted(set(counts) | {int(year) for year in selected}, reverse=True)
        return [
            FacetOption(str(year), str(year), counts.get(year, 0), str(year) in selected)
            for year in years
        ], False


class QueryFilter(django_filters.CharFilter):
    """The ``q`` text search of a list page."""

    def __init__(self, *args, search, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)
        self.search = search

    def filter(self, qs, value):
        value = (value or "").strip()
        return self.search(qs, value) if value else qs


def words_in(*fields):
    return lambda qs, q: match_words(qs, q, list(fields))


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet that can compute facets and say which parameters it ignored."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.is_valid()

    @property
    def active(self):
        """{name: [values]} of the filters that apply (invalid ones are dropped)."""
        cleaned = self.form.cleaned_data
        result = {}
        for name in self.filters:
            if name in self.form.errors or not cleaned.get(name):
                continue
            value = cleaned[name]
            if isinstance(value, str):
                result[name] = [value]
            else:
                result[name] = [getattr(item, "slug", item) for item in value]
                result[name] = [str(item) for item in result[name]]
        return result

    def active_labels(self):
        """Readable names of the applied filter values, for titles."""
        cleaned = self.form.cleaned_data
        labels = []
        for name in self.active:
            value = cleaned[name]
            if isinstance(value, str):
                labels.append(value)
                continue
            choices = dict(getattr(self.filters[name], "extra", {}).get("choices") or [])
            labels.extend(str(choices.get(item, item)) for item in value)
        return labels

    def filtered(self, exclude=None):
        qs = self.queryset
        cleaned = self.form.cleaned_data
        for name, filter_ in self.filters.items():
            if name == exclude or name in self.form.errors:
                continue
            qs = filter_.filter(qs, cleaned.get(name))
        return qs

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = self.filtered()
        return self._qs

    def facets(self):
        active = self.active
        result = []
        for name, filter_ in self.filters.items():
            if not hasattr(filter_, "facet"):
                continue
            options, truncated = filter_.facet(
                self.filtered(exclude=name), active.get(name, []), self.queryset
            )
            result.append(Facet(name, str(filter_.label), options, truncated))
        return result


class ArticleFilterSet(FacetedFilterSet):
    q = QueryFilter(search=search_articles)
    cluster = SlugMultipleChoiceFilter(
        label=_("Cluster"),
        queryset=Cluster.objects.published(),
        relation="clusters",
        facet_relation="articles",
    )
    direction = SlugMultipleChoiceFilter(
        label=_("Direction"),
        queryset=Direction.objects.all(),
        relation="directions",
        facet_relation="articles",
    )
    project = SlugMultipleChoiceFilter(
        label=_("Project"),
        queryset=Project.objects.published(),
        relation="projects",
        facet_relation="articles",
        large=True,
    )
    stakeholder = SlugMultipleChoiceFilter(
        label=_("Stakeholder"),
        queryset=Stakeholder.objects.published(),
        relation="stakeholders",
        facet_relation="articles",
        large=True,
    )
    year = YearFilter(label=_("Year"))

    class Meta:
        model = Article
        fields = []


class ProjectFilterSet(FacetedFilterSet):
    q = QueryFilter(search=words_in("name", "summary", "description"))
    cluster = SlugMultipleChoiceFilter(
        label=_("Cluster"),
        queryset=Cluster.objects.published(),
        relation="clusters",
        facet_relation="projects",
    )
    direction = SlugMultipleChoiceFilter(
        label=_("Direction"),
        queryset=Direction.objects.all(),
        relation="direction",
        facet_relation="projects",
    )
    park = SlugMultipleChoiceFilter(
        label=_("Park"),
        queryset=Park.objects.published(),
        relation="parks",
        facet_relation="projects",
        large=True,
    )
    stakeholder = SlugMultipleChoiceFilter(
        label=_("Stakeholder"),
        queryset=Stakeholder.objects.published(),
        relation="stakeholders",
        facet_relation="projects",
        large=True,
    )
    status = ChoiceFacetFilter(label=_("Status"), choices=Project.Status.choices)

    class Meta:
        model = Project
        fields = []


class StakeholderFilterSet(FacetedFilterSet):
    q = QueryFilter(search=words_in("name", "short_name", "description", "city"))
    kind = ChoiceFacetFilter(label=_("Kind"), choices=Stakeholder.Kind.choices)
    cluster = SlugMultipleChoiceFilter(
        label=_("Cluster"),
        queryset=Cluster.objects.published(),
        relation="clusters",
        facet_relation="members",
    )

    class Meta:
        model = Stakeholder
        fields = []


class ParkFilterSet(FacetedFilterSet):
    type = SlugMultipleChoiceFilter(
        label=_("Type"),
        queryset=ParkType.objects.all(),
        relation="park_type",
        facet_relation="parks",
    )
    cluster = SlugMultipleChoiceFilter(
        label=_("Cluster"),
        queryset=Cluster.objects.published(),
        relation="clusters",
        facet_relation="parks",
    )

    class Meta:
        model = Park
        fields = []
