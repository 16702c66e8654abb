"""Settings: list pages, downloads and open data, spreadsheet imports, fixtures and the API."""

import os
import tempfile
from pathlib import Path

from .base import BASE_DIR

# Public list pages show this many items per page.
PORTAL_PAGE_SIZE = 12

# Open data (README "Downloads, open data and imports"): a list's CSV/JSON download holds at
# most this many rows; the licence every data set is published under.
DOWNLOAD_MAX_ROWS = 10_000
# Each client address may start this many downloads (as API_THROTTLE_RATE; "" turns it off).
# A download is built once per content version and kept as a file in DOWNLOAD_CACHE_DIR, which
# holds at most DOWNLOAD_CACHE_MAX_BYTES (public/kept_downloads.py).
DOWNLOAD_THROTTLE_RATE = os.environ.get("DOWNLOAD_THROTTLE_RATE", "6/min")
DOWNLOAD_CACHE_DIR = Path(
    os.environ.get("DJANGO_DOWNLOAD_CACHE_DIR")
    or Path(tempfile.gettempdir()) / "inotomsk-downloads"
)
DOWNLOAD_CACHE_MAX_BYTES = 512 * 1024 * 1024
OPEN_DATA_LICENCE = {
    "code": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
# Spreadsheet imports in the admin: the largest file, the most rows, one transaction each.
IMPORT_MAX_FILE_SIZE = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 5000
IMPORT_EXPORT_USE_TRANSACTIONS = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The read-only API (api app, README "Open data and API"). Each client address may make this
# many requests (counted in the shared cache); None turns the limit off.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "300/min")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "INO Tomsk open data API",
    "DESCRIPTION": "Read-only data of the INO Tomsk portal: news, projects, stakeholders, "
    "parks, clusters, directions, park types and key figures. See the README, "
    '"Open data and API".',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge: it would load an image from another host. No deep links: Swagger UI
    # puts each in the operation's button, a link inside a button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "ProjectRoleEnum": "api.enums.PROJECT_ROLES",
        "ClusterRoleEnum": "api.enums.CLUSTER_ROLES",
        "StakeholderKindEnum": "api.enums.STAKEHOLDER_KINDS",
        "ProjectStatusEnum": "api.enums.PROJECT_STATUSES",
        "RoadmapStatusEnum": "api.enums.ROADMAP_STATUSES",
        "DocumentKindEnum": "api.enums.DOCUMENT_KINDS",
        "KeyFigureKindEnum": "api.enums.KEY_FIGURE_KINDS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}
