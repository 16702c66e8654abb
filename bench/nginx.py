"""nginx in front of the bench's gunicorn, with the repository's deploy/nginx.conf.

The load part measures through it, as a deployment serves (issue 25: cached pages through
nginx against a trivial view through nginx). The file's HTTPS server listens on plain HTTP
here: the load generator runs on the same CPUs as the server, and the decryption of every
answer is the client's work, not the server's (a throwaway certificate still fills the file's
certificate lines). The ports and paths are the bench's.
"""

from bench.database import ROOT
from tests.seaweedfs import free_ports
from tests.test_nginx import NGINX, start_nginx, wait_for_port


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
    process = start_nginx(folder, site_config(folder, gunicorn_port, ports, static_root))
    try:
        wait_for_port(port, process, seconds=30)
    except AssertionError:
        process.terminate()
        process.wait(timeout=30)
        raise RuntimeError(f"nginx did not listen; see {folder / 'error.log'}") from None
    return process, port
