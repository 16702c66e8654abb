"""The query string of a list, parsed once into a frozen ``ListQuery``.

``parse_query(filterset_class, request.GET)`` keeps each declared filter's non-empty values,
validates them with the filter set's own form (django-filter, as designed), and answers what
applies (``filters``), what was refused and why (``refused``), the readable names of the
applied values (``choices``) and the parameters the list does not read (``ignored``).
Validating reads the content (which slugs exist), so its outcome is kept for the content
version (``public.caching.versioned``): only content changes can change it.
"""

from dataclasses import dataclass, replace

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict

from ..caching import versioned

# The unknown parameters a page names at most.
MAX_IGNORED = 5


@dataclass(frozen=True)
class Choice:
    """One applied filter value: ``?cluster=timber`` is ("cluster", "timber", "Timber")."""

    name: str
    value: str
    label: str
    # The language of ``label`` where it is not the page's (a missing translation).
    lang: str | None = None


@dataclass(frozen=True)
class Refusal:
    """A filter whose values were refused, with the filter's label and the reasons."""

    name: str
    label: str
    messages: tuple


@dataclass(frozen=True)
class ListQuery:
    """What the query string asks of one list, once validated."""

    # (name, (value, ...)) of each applied filter, in the order the filter set declares them.
    filters: tuple = ()
    refused: tuple = ()  # (Refusal, ...)
    choices: tuple = ()  # (Choice, ...)
    ignored: tuple = ()  # names of parameters the list does not read

    @property
    def active(self):
        """{name: [values]} of the applied filters (a new dict: the query stays as it is)."""
        return {name: list(values) for name, values in self.filters}

    def values(self, name):
        return dict(self.filters).get(name, ())

    @property
    def text(self):
        """The search words (``q``), or ""."""
        return next(iter(self.values("q")), "")

    @property
    def labels(self):
        """Readable names of the applied values, for titles."""
        return [choice.label for choice in self.choices]

    @property
    def key(self):
        """Names what the applied filters select, for keeping what is computed from it."""
        return repr(sorted(self.filters))

    def urlencode(self):
        """The query string of the applied filters only (refused and unknown ones left out)."""
        query = QueryDict(mutable=True)
        for name, values in sorted(self.filters):
            query.setlist(name, list(values))
        return query.urlencode()


def filter_params(filterset_class, data):
    """[(name, [values])] of the declared filters in ``data``, empty values dropped (an empty
    search box is no filter), sorted: the same filters in any order are the same query."""
    params = []
    for name in filterset_class.base_filters:
        values = [value for value in data.getlist(name) if value.strip()]
        if values:
            params.append((name, values))
    return sorted(params)


def parse_query(filterset_class, data, known=()):
    """The ``ListQuery`` of ``data`` (a QueryDict) for the filters of ``filterset_class``;
    ``known``: other parameters the page reads (``page``), which are not ignored."""
    params = filter_params(filterset_class, data)
    query = ListQuery()
    if params:
        name = f"{filterset_class.__module__}.{filterset_class.__qualname__}"
        query = versioned("filters", [name, params], lambda: validate(filterset_class, params))
    read = set(filterset_class.base_filters) | set(known)
    ignored = [key[:40] for key in data if key not in read][:MAX_IGNORED]
    return replace(query, ignored=tuple(ignored)) if ignored else query


def validate(filterset_class, params):
    """The ``ListQuery`` of ``params``, validated by the filter set's form."""
    data = QueryDict(mutable=True)
    for name, values in params:
        data.setlist(name, values)
    # Only the form is used: the rows are the Listing's, so the filter set gets the model's
    # plain rows, which cost nothing to build (the public rule costs a little).
    filterset = filterset_class(data, queryset=filterset_class._meta.model._default_manager.none())
    # A form field for the asked filters only: the others would clean to nothing, and building
    # their fields (the querysets of the large option lists) costs more than validating.
    filterset.filters = {name: f for name, f in filterset.filters.items() if name in data}
    errors = filterset.errors
    cleaned = filterset.form.cleaned_data
    filters, choices = [], []
    for name, filter_ in filterset.filters.items():
        value = cleaned.get(name)
        if name in errors or is_empty(value):
            continue
        chosen = filter_.chosen(value)
        filters.append((name, tuple(value for value, _label, _lang in chosen)))
        choices.extend(Choice(name, value, label, lang) for value, label, lang in chosen)
    refused = tuple(
        Refusal(name, str(filterset.filters[name].label), tuple(str(m) for m in messages))
        for name, messages in errors.items()
    )
    return ListQuery(tuple(filters), refused, tuple(choices))


def is_empty(value):
    """Whether a cleaned value chooses nothing, without asking a queryset for its truth
    (an empty model choice cleans to ``queryset.none()``; chosen rows are already loaded)."""
    if isinstance(value, QuerySet):
        return value.query.is_empty()
    return value in (None, "", [], ())


def applies_many(filter_):
    """Whether a filter takes a list of values (repeatable) rather than one."""
    return isinstance(filter_, django_filters.MultipleChoiceFilter)
