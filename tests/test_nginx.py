"""deploy/nginx.conf in front of gunicorn: slow clients no longer hold its workers.

gunicorn runs with two sync workers (as with Redis, one request per worker). Four slow clients
that trickle their request headers take both workers when they reach gunicorn directly, and
a normal request waits; through nginx, which reads whole requests before passing them on, the
normal request answers at once. The repository's nginx.conf is used as it is, with its ports,
paths and certificate replaced by the test's (TLS with a throwaway certificate). Skipped where
nginx or openssl is not installed; CI installs nginx.
"""

import contextlib
import http.client
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)),
    None,
)
pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx)"),
    pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed"),
]
SLOW_CLIENTS = 4


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


def site_config(folder, gunicorn_port, http_port, https_port):
    """deploy/nginx.conf with the test's ports, paths and certificate."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000 ": f"server 127.0.0.1:{gunicorn_port} ",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "server_name inotomsk.example;": "server_name localhost;",
        "/etc/letsencrypt/live/inotomsk.example/": f"{folder}/",
        "/srv/inotomsk/": f"{folder}/srv/",
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx.conf no longer has {old!r}: update this test"
        text = text.replace(old, new)
    return text


def nginx_config(folder, access_log_format=None):
    """A whole nginx.conf around ``folder``/site.conf, every path in ``folder``; each request
    is logged in ``access_log_format`` to access.log, or not at all. Used by the tests and by
    the bench (bench/nginx.py)."""
    user = "user root;" if os.geteuid() == 0 else ""
    temps = " ".join(
        f"{kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    logs = "access_log off;"
    if access_log_format:
        logs = f"log_format site '{access_log_format}';\n    access_log {folder}/access.log site;"
    return f"""{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
    {logs}
    {mime}
    {temps}
    include {folder}/site.conf;
}}
"""


def start_nginx(folder, site, access_log_format=None, stderr=subprocess.DEVNULL):
    """nginx serving ``site`` (site.conf's text) from ``folder``, with a throwaway certificate
    for localhost as the file's privkey.pem and fullchain.pem there; the process. Used by the
    tests and by the bench (bench/nginx.py)."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=localhost", "-keyout", folder / "privkey.pem", "-out", folder / "fullchain.pem"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    (folder / "site.conf").write_text(site)
    (folder / "nginx.conf").write_text(nginx_config(folder, access_log_format))
    return subprocess.Popen(
        [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c",
         str(folder / "nginx.conf")],
        stdout=subprocess.DEVNULL, stderr=stderr,
    )  # fmt: skip


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx-db")
    url = f"sqlite:///{folder / 'site.sqlite3'}"
    env = production_env(url)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return url


def production_env(database_url, **extra):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "inotomsk.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        **extra,
    }


@pytest.fixture
def servers(tmp_path, database):
    """gunicorn (two sync workers) and nginx in front of it: (gunicorn port, nginx port)."""
    gunicorn_port, http_port, https_port = free_port(), free_port(), free_port()
    env = production_env(database, PORT=str(gunicorn_port), API_THROTTLE_RATE="3/min")
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "inotomsk.wsgi", "--workers", "2", "--threads", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    (tmp_path / "srv" / "staticfiles").mkdir(parents=True)
    (tmp_path / "srv" / "staticfiles" / "site.0123456789ab.css").write_text("body {}\n")
    site = site_config(tmp_path, gunicorn_port, http_port, https_port)
    nginx = start_nginx(tmp_path, site, stderr=subprocess.PIPE)
    try:
        wait_for_port(gunicorn_port, gunicorn)
        wait_for_port(https_port, nginx)
        yield gunicorn_port, https_port, http_port
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
        for process in (nginx, gunicorn):
            process.wait(timeout=30)


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own throwaway certificate
    return context


class SlowClients:
    """Clients that send their request headers a byte every half second, and never finish."""

    def __init__(self, port, tls):
        self.sockets = []
        for _ in range(SLOW_CLIENTS):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if tls:
                sock = tls_context().wrap_socket(sock, server_hostname="localhost")
            sock.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: localhost\r\n")
            self.sockets.append(sock)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.trickle, daemon=True)
        self.thread.start()

    def trickle(self):
        while not self.stop.wait(0.5):
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.sendall(b"X")

    def close(self):
        self.stop.set()
        self.thread.join()
        for sock in self.sockets:
            sock.close()


def answer(port, path="/robots.txt", tls=False, timeout=3, source="127.0.0.1", headers=None):
    """(status, seconds) of a normal request, or (None, timeout) when none came in time."""
    if tls:
        connection = http.client.HTTPSConnection(
            "localhost", port, timeout=timeout, context=tls_context(), source_address=(source, 0)
        )
    else:
        connection = http.client.HTTPConnection(
            "localhost", port, timeout=timeout, source_address=(source, 0)
        )
    started = time.monotonic()
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    except TimeoutError:
        return None, timeout
    finally:
        connection.close()


def test_slow_clients_hold_no_worker_behind_nginx(servers):
    gunicorn_port, nginx_port, _http_port = servers
    # Both ways answer a normal request while nobody is slow.
    assert answer(gunicorn_port, timeout=10)[0] is not None
    assert answer(nginx_port, tls=True, timeout=10)[0] == 200

    # Straight to gunicorn: the slow clients take both workers, a normal request waits.
    slow = SlowClients(gunicorn_port, tls=False)
    try:
        time.sleep(1)
        status, _seconds = answer(gunicorn_port, timeout=3)
        assert status is None, "gunicorn answered while slow clients held its workers"
    finally:
        slow.close()

    # Through nginx: the same slow clients wait in nginx; a normal request answers at once.
    time.sleep(1)  # the workers see the slow clients go
    slow = SlowClients(nginx_port, tls=True)
    try:
        time.sleep(1)
        for _ in range(5):
            status, seconds = answer(nginx_port, tls=True, timeout=5)
            assert status == 200 and seconds < 2, (status, seconds)
    finally:
        slow.close()


def test_nginx_serves_static_files_compresses_and_passes_the_client_address(servers):
    _gunicorn_port, nginx_port, http_port = servers
    assert answer(http_port, timeout=10)[0] == 301  # plain HTTP goes to HTTPS
    context = tls_context()
    connection = http.client.HTTPSConnection("localhost", nginx_port, context=context, timeout=10)
    connection.request("GET", "/static/site.0123456789ab.css")
    response = connection.getresponse()
    assert response.status == 200 and response.read() == b"body {}\n"
    assert "immutable" in response.getheader("Cache-Control")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    connection.request("GET", "/media/documents/secret.pdf")
    response = connection.getresponse()
    response.read()
    assert response.status == 404
    connection.close()

    # The client's address reaches Django through X-Forwarded-For: the API's budget is the
    # client's, whatever it forges. 3 a minute, counted per worker here (no Redis): of 14
    # requests at most 12 pass, even across the turn of a minute.
    statuses = [
        answer(nginx_port, "/api/v1/", tls=True, timeout=10, source="127.0.0.2",
               headers={"X-Forwarded-For": f"203.0.113.{n}"})[0]
        for n in range(14)
    ]  # fmt: skip
    assert statuses.count(429) >= 2, statuses
    assert answer(nginx_port, "/api/v1/", tls=True, timeout=10, source="127.0.0.3")[0] == 200
