"""Production settings: deploy checks, security headers, secure cookies, HTTPS switch."""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from public.caching import PageCacheMiddleware

ROOT = Path(__file__).resolve().parent.parent

# Requests through the real production settings, reported as JSON.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.templatetags.static import static
from django.test import Client
client = Client(HTTP_HOST="localhost")
response = client.get("/admin/login/", secure={secure})
cookie = response.cookies.get("csrftoken")
css_url = static("admin/css/base.css")
css = client.get(css_url, secure={secure}, HTTP_ACCEPT_ENCODING="gzip")
print(json.dumps({{
    "status": response.status_code,
    "location": response.get("Location"),
    "hsts": response.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(cookie and cookie["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "css_url": css_url,
    "css_status": css.status_code,
    "css_encoding": css.get("Content-Encoding"),
    "css_cache_control": css.get("Cache-Control"),
}}))
"""


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Static files collected as a deployment does, before the server starts."""
    root = tmp_path_factory.mktemp("static")
    result = run(["manage.py", "collectstatic", "--noinput"], production_env(STATIC_ROOT=root))
    assert result.returncode == 0, result.stderr
    return root


def production_env(**extra):
    """The environment of a production host: a long random key, debug unset."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "inotomsk.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        **{key: str(value) for key, value in extra.items()},
    }


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def probe(static_root, secure, **extra):
    env = production_env(STATIC_ROOT=static_root, **extra)
    result = run(["-c", PROBE.format(secure=secure)], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deploy_check_passes_with_production_values():
    # As docs/deployment.md sets it: the proxy on this host (else check cms.W001 warns).
    env = production_env(DJANGO_TRUSTED_PROXIES="127.0.0.1")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_redirects_to_https_and_sets_secure_cookies(static_root):
    plain = probe(static_root, secure=False)
    assert plain["status"] == 301
    assert plain["location"] == "https://localhost/admin/login/"

    secure = probe(static_root, secure=True)
    assert secure["status"] == 200
    assert secure["hsts"].startswith("max-age=31536000")
    assert secure["csrf_cookie_secure"]
    assert secure["session_cookie_secure"] and secure["session_cookie_httponly"]


def test_whitenoise_serves_hashed_compressed_static_files(static_root):
    served = probe(static_root, secure=True)
    assert re.fullmatch(r"/static/admin/css/base\.[0-9a-f]{12}\.css", served["css_url"])
    assert served["css_status"] == 200
    assert served["css_encoding"] == "gzip"
    assert "immutable" in served["css_cache_control"]


def test_https_off_serves_plain_http(static_root):
    plain = probe(static_root, secure=False, DJANGO_HTTPS="0")
    assert plain["status"] == 200
    assert plain["hsts"] is None
    assert not plain["csrf_cookie_secure"] and not plain["session_cookie_secure"]


def test_security_headers_on_responses(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_answers_made_before_django_csp_runs_carry_the_policy_too(client, settings):
    # django-csp's middleware runs inside the page cache (a page is kept with its policy);
    # public.middleware.PolicyHeadersMiddleware gives the policy to what answers before it.
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    page = client.get("/about/")
    browser = Client(raise_request_exception=False)
    refused = browser.get("/about/", HTTP_HOST="attacker.example")
    assert refused.status_code == 400  # refused as the page cache builds its key
    # A page kept without the headers, as an earlier release kept them, gets them as served.
    key = PageCacheMiddleware._page_key(page.wsgi_request)
    kept = cache.get(key)
    del kept["Content-Security-Policy"], kept["Permissions-Policy"]
    cache.set(key, kept)
    again = client.get("/about/")
    assert again.content == page.content
    for answer in (refused, again):
        assert answer["Content-Security-Policy"] == page["Content-Security-Policy"]
        assert answer["Permissions-Policy"] == page["Permissions-Policy"]
    # The policy it gives is built once, and again when its settings change.
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY = policy
    assert browser.get("/", HTTP_HOST="attacker.example")["Content-Security-Policy"] == (
        "default-src 'none'"
    )


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def assert_no_inline_code(response):
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html)


@pytest.mark.django_db
def test_admin_needs_no_inline_script_or_style(admin_client):
    """The strict policy holds in the admin too: its pages use only same-origin files."""
    for url in (
        "/admin/",
        "/admin/portal/project/",
        "/admin/portal/project/add/",
        "/admin/news/article/add/",
        "/admin/clusters/cluster/add/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(response)


def test_logs_go_to_stdout():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["stream"] == "ext://sys.stdout"


@pytest.mark.django_db
def test_public_pages_need_no_inline_script_or_style(seeded, client):
    """Our templates keep scripts and styles in static files, as the policy requires."""
    pages = ["/", "/about/", "/news/", "/projects/", "/clusters/", "/stakeholders/", "/parks/"]
    for url in [*pages, "/search/?q=tomsk"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(response)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_site_and_its_static_files(static_root):
    """The production path: ``gunicorn inotomsk.wsgi`` with gunicorn.conf.py and WhiteNoise."""
    port = free_port()
    env = production_env(STATIC_ROOT=static_root, DJANGO_HTTPS="0", PORT=port)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "inotomsk.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert page.status == 200
        assert "default-src 'self'" in page.headers["Content-Security-Policy"]
        html = page.read().decode()
        css_url = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', html).group(1)
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}{css_url}", timeout=5)
        assert css.status == 200 and "immutable" in css.headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_redis_url_switches_to_the_redis_cache():
    script = (
        "import django; django.setup(); from django.core.cache import cache;"
        "from django.conf import settings; c = settings.CACHES['default'];"
        "print(c['BACKEND'], c['LOCATION'], type(cache._cache).__name__)"
    )
    shared = run(["-c", script], production_env(REDIS_URL="redis://127.0.0.1:6379/3"))
    assert shared.returncode == 0, shared.stderr
    backend, location, client = shared.stdout.split()
    assert backend == "public.cache_backend.ResilientRedisCache"
    assert location == "redis://127.0.0.1:6379/3"
    assert client == "RedisCacheClient"  # the redis package is installed

    local = run(["-c", "import django; django.setup(); from django.conf import settings;"
                 "print(settings.CACHES['default']['BACKEND'])"], production_env())  # fmt: skip
    assert local.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
