"""The base of the public filter sets: published rows, validation kept per content version,
facets computed from the filters of ``public.facets``."""

import django_filters
from django.db.models import Count, Value
from django.utils.functional import cached_property

from cms.translated import main_field, text_language

from .caching import versioned
from .facets import Facet, OptionListFilter, QueryFilter, chooses_nothing, small_option_lists


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
            # Columns as named (no rewriting by modeltranslation): the facet counts are joined
            # by UNION ALL, whose parts must select the same columns in the same order.
            self._published = self._meta.model.objects.published().rewrite(False)
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
                    form.fields[name].choices = [
                        (slug, label) for slug, label, _pk, _lang in option_lists[filter_.kind]
                    ]
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
        return versioned("filters", [type(self).__name__, params], self._validate)

    def _validate(self):
        cleaned, errors = self.form.cleaned_data, self.form.errors
        active, choices = {}, []
        for name in self.filters:
            if name in errors or chooses_nothing(cleaned.get(name)):
                continue
            value = cleaned[name]
            field = self.form.fields[name]
            languages = {}  # the language of a label where it is not the page's
            if isinstance(value, str):
                active[name] = [value]
                labels = {}
            elif hasattr(field, "queryset"):
                active[name] = [str(obj.slug) for obj in value]
                labels = {str(obj.slug): str(obj) for obj in value}
                languages = {
                    str(obj.slug): text_language(obj, main_field(type(obj))) for obj in value
                }
            else:
                active[name] = [str(item) for item in value]
                options = getattr(field, "choices", None) or []
                labels = {str(option): str(label) for option, label in options}
                if isinstance(self.filters[name], OptionListFilter):
                    languages = {
                        slug: lang
                        for slug, _l, _pk, lang in small_option_lists()[self.filters[name].kind]
                    }
            choices.extend(
                (name, item, labels.get(item, item), languages.get(item)) for item in active[name]
            )
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
        """(filter name, value, readable label, its language where not the page's) of each
        applied filter value."""
        return self.state["choices"]

    def active_labels(self):
        """Readable names of the applied filter values, for titles."""
        return [label for _name, _value, label, _lang in self.active_choices()]

    def filtered(self, exclude=None):
        """The rows of all valid filters but ``exclude``.

        The text search applies last: it may keep only the newest matches, which for the list
        are the newest matches within the other filters. The facets (``exclude`` given) count
        within the matches of the search alone, found once for all of them.
        """
        qs = self.queryset
        cleaned = self.form.cleaned_data if self.data else {}
        in_order = sorted(self.filters.items(), key=lambda item: isinstance(item[1], QueryFilter))
        for name, filter_ in in_order:
            if name == exclude or name in self.errors:
                continue
            if exclude is not None and isinstance(filter_, QueryFilter) and cleaned.get(name):
                qs = qs.filter(pk__in=self._text_matches(filter_, cleaned[name]))
            else:
                qs = filter_.filter(qs, cleaned.get(name))
        return qs

    def _text_matches(self, filter_, value):
        if not hasattr(self, "_matched_keys"):
            matches = filter_.filter(self.queryset, value).order_by()
            self._matched_keys = list(matches.values_list("pk", flat=True))
        return self._matched_keys

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = self.filtered()
        return self._qs

    @property
    def cache_key(self):
        """Names the filtered rows, for caching what is computed from them (labels included)."""
        return f"{self._meta.model._meta.label}|{sorted(self.active.items())}"

    def facets(self):
        active = self.active
        return versioned("facets", [self.cache_key], lambda: self._compute_facets(active))

    def facet_filters(self):
        """(name, filter) of the filters shown with counts: those counting by one path
        (``count_path``, counted together) and those counting their own way (``facet``)."""
        return [
            (name, filter_)
            for name, filter_ in self.filters.items()
            if hasattr(filter_, "count_path") or hasattr(filter_, "facet")
        ]

    def _compute_facets(self, active):
        grouped = self._grouped_counts()
        result = []
        for name, filter_ in self.facet_filters():
            selected = active.get(name, [])
            if name in grouped:
                options, truncated = filter_.facet_options(grouped[name], selected), False
            else:
                options, truncated = filter_.facet(
                    self.filtered(exclude=name), selected, self.queryset
                )
            result.append(Facet(name, str(filter_.label), options, truncated))
        return result

    def _grouped_counts(self):
        """{name: {value: count}} of the facets that count by one path, in one query: each
        GROUP BY within the other filters, joined by UNION ALL."""
        parts = [
            self.filtered(exclude=name)
            .order_by()
            .values_list(Value(name), filter_.count_path)
            .annotate(n=Count("pk"))
            for name, filter_ in self.filters.items()
            if hasattr(filter_, "count_path")
        ]
        if not parts:
            return {}
        first, *rest = parts
        counts = {}
        for name, value, n in first.union(*rest, all=True) if rest else first:
            counts.setdefault(name, {})[value] = n
        return {
            name: counts.get(name, {})
            for name, filter_ in self.filters.items()
            if hasattr(filter_, "count_path")
        }
