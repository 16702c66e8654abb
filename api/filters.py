"""The API's filters are the lists' own filter sets (``public.listing.lists``): one definition
serves the HTML lists and the API. This backend parses the query as the lists do, refuses
what they would drop with a 400 naming the parameter (``public.listing.refusals``), and
describes the parameters for the OpenAPI schema from the same filters."""

import django_filters
from django.utils.encoding import force_str
from rest_framework.exceptions import ValidationError

from public.listing import (
    ChoiceFacetFilter,
    InLanguageFilter,
    LargeSlugFilter,
    Listing,
    OptionFilter,
    SearchFilter,
    YearFilter,
    parse_query,
    refusals,
)

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class FilterSetBackend:
    """Filters a list with ``view.filterset_class``; refused values are a 400."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return queryset
        query = parse_query(filterset_class, request.query_params)
        if query.refused:
            raise ValidationError(refusals.errors(query.refused))
        # The listing starts from the published rows itself; the view adds what a row shows
        # (related rows) and its order to that.
        return view.refine(Listing(filterset_class, query).filtered())

    def get_schema_operation_parameters(self, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return []
        return [
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": describe(filter_),
                **parameter_schema(filter_),
            }
            for name, filter_ in filterset_class.base_filters.items()
        ]


def describe(filter_):
    if isinstance(filter_, SearchFilter):
        return "Words to search for, in the texts of the language asked (lang)."
    if isinstance(filter_, InLanguageFilter):
        return "1: only entries whose name or title is written in the language asked."
    label = force_str(filter_.label or filter_.field_name)
    if isinstance(filter_, OptionFilter | LargeSlugFilter):
        return f"{label}: its slug; repeat for either of several."
    if isinstance(filter_, YearFilter):
        return f"{label}, such as 2017; repeat for either of several."
    return f"{label}; repeat for either of several."


def _repeated(items):
    # At most MAX_VALUES (api.views: 20) values of one parameter are taken.
    schema = {"type": "array", "items": items, "maxItems": 20}
    return {"schema": schema, "style": "form", "explode": True}


def parameter_schema(filter_):
    """The OpenAPI schema of one filter's query parameter."""
    if isinstance(filter_, SearchFilter):
        return {"schema": {"type": "string", "maxLength": filter_.extra.get("max_length", 200)}}
    if isinstance(filter_, InLanguageFilter):
        return {"schema": {"type": "string", "enum": ["1"]}}
    if isinstance(filter_, YearFilter):
        return _repeated({"type": "integer", "minimum": 1900, "maximum": 2100})
    if isinstance(filter_, OptionFilter | LargeSlugFilter):
        return _repeated({"type": "string", "pattern": SLUG_PATTERN})
    if isinstance(filter_, ChoiceFacetFilter):
        choices = [str(value) for value, _label in filter_.extra["choices"]]
        return _repeated({"type": "string", "enum": choices})
    if isinstance(filter_, django_filters.MultipleChoiceFilter):
        return _repeated({"type": "string"})
    return {"schema": {"type": "string"}}
