"""nginx in front of the bench's gunicorn, with the repository's deploy/nginx.conf.

The load part measures through it, as a deployment serves (issue 25: cached pages through
nginx against a trivial view through nginx). The file's HTTPS server listens on plain HTTP
here: the load generator runs on the same CPUs as the server, and the decryption of every
answer is the client's work, not the server's (a throwaway certificate still fills the file's
certificate lines). The ports and paths are the bench's.
"""

import socket
import subprocess
import time

from bench.database import ROOT
from tests.seaweedfs import free_ports
from tests.test_nginx import NGINX, nginx_config


def site_config(folder, gunicorn_port, ports, static_root):
    """deploy/nginx.conf with the bench's ports, paths and certificate."""
    redirect_port, port = ports
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000 ": f"server 127.0.0.1:{gunicorn_port} ",
        "listen 80;": f"listen 127.0.0.1:{redirect_port};",  # it only redirects
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{port};",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/inotomsk.example/": f"{folder}/",
        "/srv/inotomsk/staticfiles/": f"{static_root}/",
        "/srv/inotomsk/media/": f"{folder}/media/",
    }
    for old, new in replacements.items():
        if old not in text:
            raise RuntimeError(f"deploy/nginx.conf no longer has {old!r}: update bench/nginx.py")
        text = text.replace(old, new)
    return text


def start(folder, gunicorn_port, static_root):
    """Start nginx in ``folder`` in front of gunicorn; (process, port) once it listens."""
    ports = free_ports(2)
    port = ports[1]
    if NGINX is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx)")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=localhost", "-keyout", folder / "privkey.pem", "-out", folder / "fullchain.pem"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    (folder / "site.conf").write_text(site_config(folder, gunicorn_port, ports, static_root))
    (folder / "nginx.conf").write_text(nginx_config(folder))
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c",
         str(folder / "nginx.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped; see {folder / 'error.log'}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.terminate()
    process.wait(timeout=30)
    raise RuntimeError("nginx did not listen within 30 seconds")
