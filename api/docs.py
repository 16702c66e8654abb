"""The documentation page of the API: Swagger UI from drf-spectacular-sidecar, served by us.

The page keeps the site's Content Security Policy: its scripts are files (the bundle, and the
start-up script that drf-spectacular's split view serves at ``?script``), its styles files too
(our template drops the inline style block); nothing inline and nothing from another host (no
validator badge). One addition: Swagger UI's stylesheet draws its icons (select arrows, check
marks, copy buttons) as ``data:`` SVG images, so this page alone allows ``data:`` images, which
come from no host at all."""

from csp.decorators import csp_update
from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "INO Tomsk API"


docs_view = csp_update({"img-src": ["data:"]})(DocsView.as_view(url_name="api:schema"))
