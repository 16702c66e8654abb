"""Settings for the INO Tomsk portal, read from the environment.

See README.md ("Settings") for every variable. Debug is off unless DJANGO_DEBUG is set,
and then DJANGO_SECRET_KEY is required.
"""

import ipaddress
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from workflow import email_url

from . import maptiles, objectstore

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}


def env_flag(name, default=False):
    """Read a boolean from the environment ("1", "true", "yes", "on" mean on)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_VALUES


def env_list(name, default=""):
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when debug is off "
            "(set DJANGO_SECRET_KEY, or DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - debug only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin: translated fields as columns (each app's translation.py).
    "modeltranslation",
    # The admin platform (cms/): versions and their comparison, edit conflicts, roles. Before
    # Django's admin, so that its templates under admin/ come first.
    "cms",
    # Django's admin with the portal's site: branding, editors' home, preview (cms/site.py).
    "cms.admin_apps.EditorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django.contrib.postgres",
    "django_filters",
    "csp",
    "rest_framework",  # the read-only API (api app)
    "drf_spectacular",  # its OpenAPI schema
    "drf_spectacular_sidecar",  # Swagger UI files for its documentation page, served by us
    "reversion",  # versions of content, restore and recover (cms/versions.py)
    "import_export",  # spreadsheet import and export in the admin (cms/spreadsheet_admin.py)
    "django_tasks",  # background tasks: e-mail, scheduled publishing, checks (workflow app)
    "django_tasks_db",  # their queue in the database, run by `manage.py run_worker`
    # Project apps, in dependency order: each may import only those above it.
    "portal",
    "clusters",
    "news",
    "events",  # forums, meetings and calls, with their calendar files (imports news)
    "programme",  # the roadmap's actions, pages staff write, documents (imports clusters)
    # Review, notifications, preview links and content health (imports the content apps).
    "workflow",
    # Messages visitors send from /contact/, kept for staff and e-mailed to them.
    "contact",
    # The public site, composing the content apps; its ready() hooks up the content version.
    "public",
    # E-mail subscriptions and their digests (imports the content apps; tasks as workflow's).
    "subscriptions",
    # The read-only API under /api/v1/, reusing the public lists' filter sets.
    "api",
]

MIDDLEWARE = [
    # Times every request for /metrics, when metrics are on (public/metrics.py).
    "public.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "public.middleware.PermissionsPolicyMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "public.middleware.RememberedLanguageMiddleware",
    # Outside the session and CSRF middleware, so it sees the cookies they set.
    "public.caching.PageCacheMiddleware",
    # The API's address limits and kept answers, before the rest (api/middleware.py).
    "api.middleware.APIMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "public.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "inotomsk.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "public.context_processors.page_address",
                "public.sitepages.site_pages",  # menu and footer pages, read lazily
                # The version for visually impaired visitors: <html>'s classes, the switch.
                "public.accessible.accessible_version",
            ],
        },
    },
]

WSGI_APPLICATION = "inotomsk.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Behind PgBouncer in transaction pooling (DJANGO_DB_POOLER=pgbouncer, docs/deployment.md), a
# server connection serves another client after each transaction: no server-side cursors
# (QuerySet.iterator() would lose its cursor), and no session state (none is used).
DATABASE_POOLER = os.environ.get("DJANGO_DB_POOLER", "").strip().lower()
if DATABASE_POOLER not in ("", "pgbouncer"):
    raise ImproperlyConfigured("DJANGO_DB_POOLER is empty or 'pgbouncer'.")
if DATABASE_POOLER == "pgbouncer":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The admin is the only log-in; a refused ?next= (another host) lands on its index.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
# A visitor's explicit choice of language (public.pages.choose_language), kept for a year.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers as each language writes them ("12 декабря 2017 г.", "1 250,5").
FORMAT_MODULE_PATH = ["inotomsk.formats"]
# Content in both languages (django-modeltranslation): each text field has a column per
# language; a text missing in the page's language is shown in the other one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",), "en": ("ru",), "ru": ("en",)}
# The seeds give Tomsk local times; Asia/Tomsk knows the 2016 change from UTC+6 to UTC+7.
TIME_ZONE = "Asia/Tomsk"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# The feeds' XSLT must go out as XML (nosniff): WhiteNoise's own table has no .xsl (Django's
# static view in development reads mimetypes, given the same type in public/apps.py).
WHITENOISE_MIMETYPES = {".xsl": "application/xslt+xml"}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Local runs without a front server let Django serve uploaded media itself.
SERVE_MEDIA = env_flag("DJANGO_SERVE_MEDIA", default=DEBUG)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media on S3-compatible object storage when DJANGO_S3_BUCKET is set (docs/deployment.md,
# "Media on object storage"); without it, the filesystem under MEDIA_ROOT.
try:
    S3_MEDIA = objectstore.s3_config()
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
if S3_MEDIA:
    STORAGES["default"] = {
        "BACKEND": "inotomsk.storage.MediaStorage",
        "OPTIONS": objectstore.storage_options(S3_MEDIA),
    }
# Where browsers fetch media from: /media/ answers with a signed link to the store.
MEDIA_ORIGINS = objectstore.media_origins(S3_MEDIA) if S3_MEDIA else []

# Uploads larger than this are refused before they reach a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest document (PDF, DOCX, XLSX, ODT, ODS) staff may upload (programme/files.py).
DOCUMENT_MAX_SIZE = 25 * 1024 * 1024

# HTTPS hardening is on by default in production; DJANGO_HTTPS=0 serves plain HTTP.
HTTPS = env_flag("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxy (docs/deployment.md): the addresses it connects from (addresses or CIDR
# ranges, comma-separated) and the header it gives the client's address in. The header is
# believed only from those addresses (cms.addresses.client_address); unset, every client is
# REMOTE_ADDR, which behind a proxy is the proxy (check cms.W001 warns with HTTPS on).
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network."
        ) from None
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "").strip() or "X-Forwarded-For"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS

# The map's tiles (public/map.py): a URL template and its attribution; unset, no tiles and no
# request to another host. Only this host joins img-src.
MAP_TILE_URL = os.environ.get("DJANGO_MAP_TILE_URL", "").strip()
MAP_TILE_ATTRIBUTION = os.environ.get("DJANGO_MAP_TILE_ATTRIBUTION", "").strip()
MAP_TILE_ORIGINS = [maptiles.tile_origin(MAP_TILE_URL)] if MAP_TILE_URL else []

# Our pages and the admin use only same-origin files: no inline script or style, no other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", *MEDIA_ORIGINS, *MAP_TILE_ORIGINS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "upgrade-insecure-requests": HTTPS,
    }
}
# Features no page uses, switched off for the page and anything it might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers a miss when Redis is down or slow (public/cache_backend.py).
            "BACKEND": "public.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Pages and query results of one process; room for many filter combinations.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Whole public pages are cached for anonymous visitors until content changes (public/caching.py);
# 0 turns the page cache off.
PAGE_CACHE_SECONDS = 600
# The API keeps its answers itself (api/views.py), keyed by all of its parameters.
PAGE_CACHE_EXCLUDE = ["/admin/", "/healthz", "/metrics", MEDIA_URL, "/api/"]
# Subscription pages carry forms and personal links: never kept.
PAGE_CACHE_EXCLUDE += ["/subscribe/", "/ru/subscribe/"]
# Preview links (workflow/preview.py) are personal: never looked up or kept, in either language.
PAGE_CACHE_EXCLUDE += ["/preview/", "/ru/preview/"]

# Metrics for operators at /metrics (public/metrics.py, docs/deployment.md): a 404 unless the
# request brings this bearer token and/or comes from these networks (each one set must match).
METRICS_TOKEN = os.environ.get("DJANGO_METRICS_TOKEN", "").strip()
METRICS_NETWORKS = env_list("DJANGO_METRICS_NETWORKS")
for _network in METRICS_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DJANGO_METRICS_NETWORKS: {_network!r} is not an IP address or network."
        ) from None
# The task queue's state for /healthz and /metrics: a dotted path to a function returning
# {"depth": n, "failures": n} (public/health.py); empty until a queue exists.
TASK_QUEUE_STATUS = ""

# Background tasks (django-tasks; docs/operations.md, "The worker and mail"). "immediate" runs
# each task at once in the process that asks (make run, the tests); "database" queues it for
# the worker started by `manage.py run_worker`.
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "immediate").strip().lower()
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    TASK_QUEUE_STATUS = "workflow.tasks.queue_status"
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured("DJANGO_TASKS_BACKEND is 'immediate' or 'database'.")

# E-mail from an SMTP URL, e.g. smtp://user:password@host:587?tls=1 (workflow/email_url.py);
# unset, messages are written to the console.
try:
    EMAIL_SETTINGS = email_url.parse(os.environ.get("DJANGO_EMAIL_URL", ""))
except ValueError as error:
    raise ImproperlyConfigured(f"DJANGO_EMAIL_URL: {error}") from None
EMAIL_BACKEND = EMAIL_SETTINGS["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_SETTINGS["EMAIL_HOST"]
EMAIL_PORT = EMAIL_SETTINGS["EMAIL_PORT"]
EMAIL_HOST_USER = EMAIL_SETTINGS["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = EMAIL_SETTINGS["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = EMAIL_SETTINGS["EMAIL_USE_TLS"]
EMAIL_USE_SSL = EMAIL_SETTINGS["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = EMAIL_SETTINGS["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "").strip() or "webmaster@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where messages sent with the form on /contact/ are e-mailed (contact/tasks.py); unset, they
# are only kept for staff in the admin.
CONTACT_EMAIL = os.environ.get("DJANGO_CONTACT_EMAIL", "").strip()
if CONTACT_EMAIL and (CONTACT_EMAIL.count("@") != 1 or any(c in CONTACT_EMAIL for c in " ,;<>")):
    raise ImproperlyConfigured("DJANGO_CONTACT_EMAIL must be one e-mail address.")
# The site's address, for the links in e-mails (no request there to take it from).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://localhost:8000").strip().rstrip("/")
# The link checker (workflow/linkcheck.py) refuses addresses in private and loopback networks
# unless this is on (the tests' local server).
LINKCHECK_ALLOW_PRIVATE = env_flag("DJANGO_LINKCHECK_ALLOW_PRIVATE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (4xx) is one line without its traceback (inotomsk/logfilters.py).
    "filters": {"refused_requests": {"()": "inotomsk.logfilters.RefusedRequestFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["refused_requests"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

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
