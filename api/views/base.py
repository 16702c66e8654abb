"""The read-only API: list and detail endpoints of every public model.

Every endpoint starts from the published rows (drafts and scheduled articles never appear; no
preview here), filters lists with the lists' own filter sets (public.listing.lists), refuses
unknown or invalid parameters with a 400 naming them, answers in the language of ``?lang=`` (en by default), keeps
what it answers for anonymous clients in the shared cache until content changes (the same
content version as the pages, public.caching) and counts requests per client address.
"""

import re

from django.conf import settings
from django.db.models import F
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler

from cms.translated import LANGUAGES
from portal.publishing import published_related

from .. import serializers as s
from ..caching import answer_key, keep_answer, kept_answer
from ..filters import FilterSetBackend
from ..schema import PublicSchema
from ..throttling import AddressRateThrottle

# Values of one parameter beyond this are refused (?project=a&project=b&…).
MAX_VALUES = 20
TRUE, FALSE = {"1", "true"}, {"0", "false"}
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,300}")


def api_exception_handler(exc, context):
    """DRF's errors, with invalid parameters as {"detail": ..., "errors": {name: [...]}}."""
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        errors = response.data if isinstance(response.data, dict) else {}
        response.data = {"detail": str(_("Invalid parameters.")), "errors": errors}
    return response


def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/."""
    return JsonResponse({"detail": str(_("Not found."))}, status=404)


class PublicAPIMixin:
    """What every endpoint shares: JSON only, anonymous, throttled, parameters checked."""

    renderer_classes = [JSONRenderer]
    parser_classes = []
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressRateThrottle]
    schema = PublicSchema()

    def get_exception_handler(self):
        return api_exception_handler

    def allowed_parameters(self):
        return {"lang", "translations"}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # throttling first
        query = request.query_params
        self.language = self._one(query, "lang", settings.LANGUAGE_CODE)
        if self.language not in LANGUAGES:
            raise ValidationError({"lang": [_("Give one of: %s.") % ", ".join(LANGUAGES)]})
        translation.activate(self.language)
        errors = {}
        allowed = self.allowed_parameters()
        for key, values in query.lists():
            if key not in allowed:
                errors[key[:40]] = [_("Unknown parameter.")]
            elif len(values) > MAX_VALUES:
                errors[key] = [_("At most %d values.") % MAX_VALUES]
            elif any("\x00" in value for value in values):
                errors[key] = [_("A NUL character is not allowed.")]
            if len(errors) >= 5:
                break
        if errors:
            raise ValidationError(errors)
        translations = self._one(query, "translations", "0").lower()
        if translations not in TRUE | FALSE:
            raise ValidationError({"translations": [_("Give true or false.")]})
        self.translations = translations in TRUE

    @staticmethod
    def _one(query, name, default):
        values = query.getlist(name)
        if len(values) > 1:
            raise ValidationError({name: [_("Give this parameter once.")]})
        return values[0] if values else default

    def dispatch(self, request, *args, **kwargs):
        previous = translation.get_language()
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            translation.activate(previous)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        return response

    def cached(self, compute, request, *args, **kwargs):
        """The response of ``compute``, rendered and kept until content changes (the API
        middleware serves it from then on, before the view)."""
        django_request = request._request
        key = getattr(django_request, "api_answer_key", None)
        if not hasattr(django_request, "api_answer_key"):  # no middleware in front
            key = answer_key(django_request)
            kept = kept_answer(key, django_request)
            if kept is not None:
                return kept
        response = compute(request, *args, **kwargs)
        content = JSONRenderer().render(response.data)
        return keep_answer(key, content, self.language, django_request)


class PublicViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """List and detail of the published rows of ``model``."""

    model = None
    filterset_class = None
    filter_backends = [FilterSetBackend]
    pagination_class = None
    # A total order: the list order, and the cursor's (its first field gives the position).
    ordering = ("slug",)
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    def allowed_parameters(self):
        allowed = super().allowed_parameters()
        if self.action == "list":
            if self.filterset_class is not None:
                allowed |= set(self.filterset_class.base_filters)
            if self.pagination_class is not None:
                allowed |= {"cursor", "page_size"}
        return allowed

    def published(self):
        # Columns as named (no rewriting by modeltranslation), as the filter sets read them.
        return self.model.objects.published().rewrite(False)

    def refine(self, queryset):
        """The rows as the API shows them: related rows joined or prefetched, in order."""
        return queryset.order_by(*self.ordering)

    def get_queryset(self):
        return self.refine(self.published())

    def get_serializer_class(self):
        if self.action == "list":
            return s.list_serializer(self.serializer_class)
        return self.serializer_class

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["translations"] = getattr(self, "translations", False)
        return context

    def get_object(self):
        value = self.kwargs[self.lookup_field]
        if not self.valid_lookup(value):
            raise NotFound()
        return super().get_object()

    def valid_lookup(self, value):
        return bool(SLUG.fullmatch(value))

    def list(self, request, *args, **kwargs):
        return self.cached(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.cached(super().retrieve, request, *args, **kwargs)


class ByNameMixin:
    """Ordered by name (the default-language column, so the same order in both languages)."""

    ordering = ("sort_name", "slug")

    def refine(self, queryset):
        return super().refine(queryset.annotate(sort_name=F("name")))


def links(model, *relations):
    """The slugs of the public entries of each of ``relations``, as the lists
    ``public_<relation>`` that serializers.Links reads."""
    return [
        published_related(model, name, only=("slug",), to_attr=f"public_{name}")
        for name in relations
    ]


def roles(model, relation, end):
    """Project roles or cluster memberships (``relation`` of ``model``) whose other ``end``
    the public may see, with just that entry's slug."""
    through = model._meta.get_field(relation).related_model
    columns = [field.name for field in through._meta.concrete_fields]
    return published_related(model, relation, only=(*columns, f"{end}__slug"))


class FixedListViewSet(PublicViewSet):
    """A short list that is always public (no drafts), in the programme's order, one page."""

    ordering = ("order", "slug")

    def published(self):
        return self.model.objects.rewrite(False).all()
