"""Two app servers behind nginx, for tests/test_two_servers.py: the processes and a client.

``Site.start()`` renders deploy/nginx.conf with an upstream of two gunicorn instances (two
workers each, production settings, their own processes and memory), which share one PostgreSQL
database, Redis (``REDIS_DB``, emptied first) and a SeaweedFS bucket; nginx serves the static
files collectstatic wrote and logs each request's upstream(s). ``Browser`` is one visitor, with
its cookies: over HTTPS through nginx, or over plain HTTP straight to one gunicorn with the
headers nginx would have added.
"""

import contextlib
import http.client
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote

import psycopg2
import redis
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from .test_nginx import NGINX, free_port, tls_context, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379"
REDIS_DB = 11  # the tests' own: emptied when the servers start
# Each request nginx passed: status, method, path and the upstream(s) tried ("a, b" = retried).
ACCESS_LOG_FORMAT = "$status $request_method $uri [$upstream_addr] [$upstream_status]"


def redis_answers():
    with contextlib.suppress(redis.RedisError):
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    return False


def site_config(folder, upstream_ports, http_port, https_port):
    """deploy/nginx.conf with an upstream of ``upstream_ports``, the test's listening ports,
    certificate and static files, and without its media locations (media are on object
    storage, so Django answers /media/, as the file says)."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    server_line = re.compile(r"^( +)server 127\.0\.0\.1:8000 (.*;)$", re.MULTILINE)
    match = server_line.search(text)
    assert match, "deploy/nginx.conf has no 'server 127.0.0.1:8000 ...;' line: update this test"
    indent, options = match.groups()
    servers = "\n".join(f"{indent}server 127.0.0.1:{port} {options}" for port in upstream_ports)
    text = text[: match.start()] + servers + text[match.end() :]
    text, media = re.subn(r"\n    location /media/[^{]*\{[^}]*\}(?=\n)", "", text)
    assert media == 2, "deploy/nginx.conf's two media locations changed: update this test"
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "server_name inotomsk.example;": "server_name localhost;",
        "/etc/letsencrypt/live/inotomsk.example/": f"{folder}/",
        "/srv/inotomsk/staticfiles/": f"{folder}/static/",
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx.conf no longer has {old!r}: update this test"
        text = text.replace(old, new)
    return text


def nginx_config(folder):
    """A whole nginx.conf around site.conf, with every path in ``folder``."""
    user = "user root;" if os.geteuid() == 0 else ""
    temps = " ".join(
        f"{kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    return f"""{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 512; }}
http {{
    log_format upstreams '{ACCESS_LOG_FORMAT}';
    access_log {folder}/access.log upstreams;
    {mime}
    {temps}
    include {folder}/site.conf;
}}
"""


def production_env(**extra):
    """A production host's environment: debug off, nothing of this machine's DJANGO_ values."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PGBOUNCER"))
    }
    return {**clean, "DJANGO_SETTINGS_MODULE": "inotomsk.settings", **extra}


@contextlib.contextmanager
def own_database(server, name):
    """A new, empty database ``name`` on the PostgreSQL server of the settings dict
    ``server``, as a DATABASE_URL; dropped at the end, whoever is still connected."""
    params = {"host": server["HOST"] or "127.0.0.1", "port": server["PORT"] or 5432}
    admin = psycopg2.connect(
        dbname="postgres", user=server["USER"], password=server["PASSWORD"], **params
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        user = quote(server["USER"] or "", safe="")
        password = f":{quote(server['PASSWORD'], safe='')}" if server["PASSWORD"] else ""
        yield f"postgres://{user}{password}@{params['host']}:{params['port']}/{name}"
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def manage(env, *args, timeout=300):
    """Run ``manage.py args`` and fail with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"


@dataclass
class Site:
    """nginx in front of two gunicorn instances, in ``folder``."""

    folder: Path
    env: dict
    gunicorn_ports: list = field(default_factory=lambda: [free_port(), free_port()])
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    servers: list = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    def start(self):
        self.redis().flushdb()
        for port in self.gunicorn_ports:
            env = {
                **self.env,
                "PORT": str(port),
                "WEB_CONCURRENCY": "2",
                "DJANGO_DOWNLOAD_CACHE_DIR": str(self.folder / f"downloads-{port}"),
            }
            with open(self.folder / f"gunicorn-{port}.log", "wb") as log:
                # A session of its own: killpg() then reaches the master and its workers only.
                self.servers.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "gunicorn", "inotomsk.wsgi"],
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=log,
                        start_new_session=True,
                    )  # fmt: skip
                )
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
             "/CN=localhost", "-keyout", self.folder / "privkey.pem",
             "-out", self.folder / "fullchain.pem"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        site = site_config(self.folder, self.gunicorn_ports, self.http_port, self.https_port)
        (self.folder / "site.conf").write_text(site)
        (self.folder / "nginx.conf").write_text(nginx_config(self.folder))
        self.nginx = subprocess.Popen(
            [NGINX, "-p", str(self.folder), "-e", str(self.folder / "error.log"), "-c",
             str(self.folder / "nginx.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for port, server in zip(self.gunicorn_ports, self.servers, strict=True):
            wait_for_port(port, server)
        wait_for_port(self.https_port, self.nginx)
        return self

    def kill(self, index):
        """SIGKILL the master and the workers of gunicorn ``index``, as a crash would."""
        os.killpg(self.servers[index].pid, signal.SIGKILL)
        self.servers[index].wait(timeout=10)

    def stop(self):
        if self.nginx is not None:
            self.nginx.terminate()
            self.nginx.wait(timeout=30)
        for server in self.servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)

    def kept_pages(self):
        """How many pages the servers keep in Redis (public/caching.py's page keys)."""
        return len(self.redis().keys("*inotomsk:page:*"))

    def redis(self):
        return redis.Redis.from_url(f"{REDIS_URL}/{REDIS_DB}")

    def access_log(self):
        """The requests nginx passed on: (status, method, path, upstreams tried)."""
        lines = (self.folder / "access.log").read_text().splitlines()
        pattern = re.compile(r"(\d+) (\S+) (\S+) \[([^\]]*)\] \[([^\]]*)\]")
        return [
            (int(m[1]), m[2], m[3], [] if m[4] == "-" else m[4].split(", "))
            for m in map(pattern.fullmatch, lines)
        ]

    def nginx_browser(self, source="127.0.0.1"):
        return Browser(self.https_port, tls=True, source=source)

    def server_browser(self, index, client_address="198.51.100.1"):
        return Browser(self.gunicorn_ports[index], client_address=client_address)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode()


class Browser:
    """One visitor with its cookies. Through nginx (``tls``) from ``source``, or straight to a
    gunicorn with what nginx adds: HTTPS (X-Forwarded-Proto) and ``client_address``."""

    def __init__(self, port, tls=False, source="127.0.0.1", client_address=None):
        self.port, self.tls, self.source = port, tls, source
        self.client_address = client_address
        self.cookies = {}
        self.headers = {}  # sent with every request

    def request(self, method, path, body=None, headers=None, timeout=20):
        headers = {"Host": "localhost", "Accept-Language": "en", **self.headers, **(headers or {})}
        if not self.tls:
            headers |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.client_address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.tls:
            connection = http.client.HTTPSConnection(
                "localhost", self.port, timeout=timeout, context=tls_context(),
                source_address=(self.source, 0),
            )  # fmt: skip
        else:
            connection = http.client.HTTPConnection("localhost", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.msg, response.read())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data):
        """A form posted as the admin's pages post it (multipart, CSRF token, same origin)."""
        if "csrftoken" not in self.cookies:
            self.get("/admin/login/")
        data = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **data}
        headers = {"Content-Type": MULTIPART_CONTENT, "Origin": "https://localhost"}
        return self.request("POST", path, body=encode_multipart(BOUNDARY, data), headers=headers)

    def log_in(self, username, password):
        return self.post("/admin/login/?next=/admin/", {"username": username, "password": password})

    def seen_within(self, path, text, seconds):
        """Seconds until GET ``path`` answers 200 with ``text``, or None if not within."""
        started = time.monotonic()
        while (waited := time.monotonic() - started) <= seconds:
            answer = self.get(path)
            if answer.status == 200 and text in answer.text:
                return waited
            time.sleep(0.05)
        return None
