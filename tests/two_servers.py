"""Two app servers behind nginx, for tests/test_two_servers.py: the processes around them.

``Site.start()`` renders deploy/nginx.conf with an upstream of two gunicorn instances (two
workers each, production settings, their own processes and memory), which share one PostgreSQL
database, Redis (``REDIS_DB``, emptied first) and a SeaweedFS bucket; nginx serves the static
files collectstatic wrote and logs each request's upstream(s). Its visitors are
tests/http_visitor.py's.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psycopg2
import redis

from .http_visitor import Browser
from .seaweedfs import free_ports
from .test_nginx import start_nginx, wait_for_port

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
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextlib.contextmanager
def release_installed(env, shell_script):
    """collectstatic and ``shell_script`` (manage.py shell -c) run while the block runs, as a
    deployment installs a release; both must have succeeded when it ends."""
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in (["collectstatic", "--noinput", "-v", "0"], ["shell", "-c", shell_script])
    ]
    try:
        yield
        for process in processes:
            _out, errors = process.communicate(timeout=300)
            assert process.returncode == 0, errors[-3000:]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


@dataclass
class Site:
    """nginx in front of two gunicorn instances, in ``folder``."""

    folder: Path
    env: dict
    servers: list = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    def __post_init__(self):
        # Four different free ports: two gunicorn instances, nginx's HTTP and HTTPS.
        *self.gunicorn_ports, self.http_port, self.https_port = free_ports(4)

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
        site = site_config(self.folder, self.gunicorn_ports, self.http_port, self.https_port)
        self.nginx = start_nginx(self.folder, site, ACCESS_LOG_FORMAT)
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

    def error_log(self):
        """nginx's error log, a line each (upstreams that failed, and at what point)."""
        return (self.folder / "error.log").read_text().splitlines()

    def nginx_browser(self, source="127.0.0.1"):
        return Browser(self.https_port, tls=True, source=source)

    def server_browser(self, index, client_address="198.51.100.1"):
        return Browser(self.gunicorn_ports[index], client_address=client_address)
