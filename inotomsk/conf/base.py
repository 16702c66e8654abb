"""Settings: the environment helpers, debug and secret key, apps, middleware, templates,
database, passwords and languages."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The checkout's root: this file is inotomsk/conf/base.py.
BASE_DIR = Path(__file__).resolve().parent.parent.parent

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
    # Permissions-Policy, and the default CSP where django-csp's did not run (its docstring).
    "public.middleware.PolicyHeadersMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "public.middleware.RememberedLanguageMiddleware",
    # Outside the session and CSRF middleware, so it sees the cookies they set; outside
    # django-csp's, so a page is kept with its policy and a hit does not build it again.
    "public.caching.PageCacheMiddleware",
    # The API's address limits and kept answers, before the rest (api/middleware.py).
    "api.middleware.APIMiddleware",
    "csp.middleware.CSPMiddleware",
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
