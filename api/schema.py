"""The OpenAPI schema (drf-spectacular): the parameters every endpoint takes, and the error
responses every endpoint may give, added to what is generated from the views."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from cms.translated import LANGUAGES

ERROR = {
    "type": "object",
    "description": "An error: a message, and for invalid parameters each one's messages.",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "The messages of each invalid parameter, by its name.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
}


class PublicSchema(AutoSchema):
    def get_override_parameters(self):
        return [
            OpenApiParameter(
                "lang",
                str,
                enum=list(LANGUAGES),
                description="The language of texts and web addresses (default en); a text "
                "missing in it is given in the other language.",
            ),
            OpenApiParameter(
                "translations",
                bool,
                description="true: each text's columns side by side as well (name_en, name_ru; "
                "null where missing).",
            ),
            *super().get_override_parameters(),
        ]


def add_error_responses(result, generator, request, public):
    """Every operation may answer 400 (a parameter), 429 (throttled) and, for one object, 404;
    the translation columns appear only when asked, so none is required."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("400", {"description": "Invalid parameter", "content": reference})
            responses.setdefault(
                "429",
                {
                    "description": "Too many requests from this address",
                    "headers": {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": "Seconds to wait",
                        }
                    },
                    "content": reference,
                },
            )
            if "{" in path:
                responses.setdefault("404", {"description": "No such object", "content": reference})
    suffixes = tuple(f"_{code}" for code in LANGUAGES)
    for schema in schemas.values():
        required = schema.get("required")
        if required:
            kept = [name for name in required if not name.endswith(suffixes)]
            if kept:
                schema["required"] = kept
            else:
                del schema["required"]
    return result
