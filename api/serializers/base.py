"""What the API shows of each public model: texts in the asked language (else the other one,
as the pages show them), with ``?translations=1`` each text's columns side by side; links to
other objects as API addresses, and ``web_url``, the object's page on the site in the asked
language. Times are ISO 8601 with their offset, dates ISO 8601. What staff may leave empty
(a text, an address, a choice such as a role) is null where it is not stated, never ``""``."""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cms.translated import LANGUAGES, translated_fields


class TranslationColumn(serializers.CharField):
    """One language's column of a text; null where it has none."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class NotStatedAsNull(serializers.ModelSerializer):
    """A read-only model serializer whose texts, addresses and choices that the model lets
    staff leave blank (and labels declared ``allow_null``) are null when empty: the schema
    says nullable, and "not stated" has one value, not both ``""`` and null."""

    def get_fields(self):
        fields = super().get_fields()
        model = self.Meta.model
        self._null_when_empty = []
        for name, field in fields.items():
            if not isinstance(field, serializers.CharField | serializers.ChoiceField):
                continue
            try:
                model_field = model._meta.get_field(field.source or name)
            except FieldDoesNotExist:
                model_field = None
            if isinstance(model_field, models.CharField | models.TextField) and model_field.blank:
                field.allow_null = True
                field.allow_blank = False  # the schema then offers null, not an empty string
            if field.allow_null:
                self._null_when_empty.append(name)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in self._null_when_empty:
            if data.get(name) == "":
                data[name] = None
        return data


def url_template(context, endpoint):
    """The absolute address of ``endpoint``'s detail with ``{slug}`` to fill, built once per
    request (reversing and making absolute every link of a page would cost more than all else)."""
    templates = context.setdefault("url_templates", {})
    if endpoint not in templates:
        path = reverse(f"api:{endpoint}-detail", kwargs={"slug": "SLUG"})
        absolute = context["request"].build_absolute_uri(path)
        templates[endpoint] = (
            absolute.replace("{", "{{").replace("}", "}}").replace("SLUG", "{slug}")
        )
    return templates[endpoint]


@extend_schema_field({"type": "string", "format": "uri"})
class Link(serializers.Field):
    """The API address of one related entry (joined by the view)."""

    def __init__(self, endpoint, **kwargs):
        self.endpoint = endpoint
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return url_template(self.context, self.endpoint).format(slug=value.slug)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class NullableLink(Link):
    """The same, null where there is none."""


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "uri"}})
class Links(serializers.Field):
    """The API addresses of related entries, read from the list the view prefetched for the
    field (``public_<field>``: published entries only)."""

    def __init__(self, endpoint, **kwargs):
        self.endpoint = endpoint
        super().__init__(read_only=True, **kwargs)

    def bind(self, field_name, parent):
        if self.source is None:
            self.source = f"public_{field_name}"
        super().bind(field_name, parent)

    def to_representation(self, value):
        template = url_template(self.context, self.endpoint)
        return [template.format(slug=obj.slug) for obj in value]


class PublicSerializer(NotStatedAsNull):
    """Read-only; ``url`` is the object's API address, ``web_url`` its page on the site."""

    # The detail endpoint's name (api:<endpoint>-detail) and the field it is looked up by.
    endpoint = ""
    lookup_field = "slug"

    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
            if isinstance(field, serializers.FileField):
                field.allow_null = True  # null where there is no picture
        # The schema lists the columns (it is built without "translations" in the context);
        # a response has them only when asked.
        if self.context.get("translations", True):
            for name in translated_fields(self.Meta.model):
                if name in fields and not name.endswith("_alt"):
                    for code in LANGUAGES:
                        fields[f"{name}_{code}"] = TranslationColumn()
        return fields

    def _absolute(self, path):
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        lookup = {self.lookup_field: getattr(obj, self.lookup_field)}
        return self._absolute(reverse(f"api:{self.endpoint}-detail", kwargs=lookup))

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj):
        return self._absolute(obj.get_absolute_url())


def list_serializer(serializer_class):
    """The same serializer with the fields of a list row (long texts only in the detail)."""
    meta = serializer_class.Meta
    fields = getattr(meta, "list_fields", meta.fields)
    if fields == meta.fields:
        return serializer_class
    list_meta = type("Meta", (meta,), {"fields": fields})
    name = serializer_class.__name__.replace("Serializer", "ListSerializer")
    return type(name, (serializer_class,), {"Meta": list_meta})
