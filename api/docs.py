"""The documentation page of the API: Swagger UI from drf-spectacular-sidecar, served by us.

The page keeps the site's Content Security Policy: its scripts are files (the bundle, and the
start-up script that drf-spectacular's split view serves at ``?script``), its styles files too
(our template drops the inline style block); nothing inline and nothing from another host (no
validator badge). One addition: Swagger UI's stylesheet draws its icons (select arrows, check
marks, copy buttons) as ``data:`` SVG images, so this page alone allows ``data:`` images, which
come from no host at all."""

from types import SimpleNamespace

from csp.decorators import csp_update
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from cms.translated import LANGUAGES


class DocsView(SpectacularSwaggerSplitView):
    """The page, in the language of the schema it shows: ``?lang=`` as the API reads it (the
    page passes it on to the schema), else the active one. Its <html> says which."""

    template_name = "api/swagger_ui.html"
    title = "INO Tomsk API"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if isinstance(response.data, dict) and "script_url" in response.data:
            asked = request.GET.get("lang")
            response.data["language"] = asked if asked in LANGUAGES else translation.get_language()
        return response


docs_view = csp_update({"img-src": ["data:"]})(DocsView.as_view(url_name="api:schema"))


class FormatParameterNegotiation(DefaultContentNegotiation):
    """``?format=json`` or ``?format=yaml`` chooses (the endpoints take no such parameter)."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE="format")


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process and language: it changes only with the
    code, and generating it takes far longer than any answer of the API."""

    content_negotiation_class = FormatParameterNegotiation
    kept = {}

    def _get_schema_response(self, request):
        language = translation.get_language()
        if language not in LANGUAGES or request.GET.get("version"):
            return super()._get_schema_response(request)
        if language not in self.kept:
            self.kept[language] = super()._get_schema_response(request).data
        filename = self._get_filename(request, None)  # .yaml or .json, as negotiated
        return Response(
            data=self.kept[language],
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
