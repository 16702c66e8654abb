"""Two app servers behind nginx (docs/deployment.md, "Several app servers").

Two gunicorn instances, each its own processes and memory, share PostgreSQL, Redis and the
object store (SeaweedFS) behind nginx configured from deploy/nginx.conf (tests/two_servers.py
starts them). What one server does, the other and nginx show at once: a publish, a scheduled
article when its time comes, a log-in throttle, an upload. Killing one server under load
loses no request: nginx passes the requests it was serving on to the other.

PostgreSQL only (two processes need a database server: on SQLite the module is skipped), with
Redis at 127.0.0.1:6379 and nginx and openssl installed (CI installs them).
"""

import gzip
import http.client
import io
import itertools
import json
import os
import secrets
import shutil
import threading
import time
import urllib.request
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone
from PIL import Image

from inotomsk import objectstore

from .test_nginx import NGINX, tls_context
from .two_servers import (
    REDIS_DB,
    REDIS_URL,
    Site,
    own_database,
    production_env,
    redis_answers,
    release_installed,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two app servers share a database server: run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx)"),
    pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed"),
    pytest.mark.skipif(not redis_answers(), reason="no Redis answers on 127.0.0.1:6379"),
]
PASSWORD = "two-servers-password"
# The database as an operator sets it up: migrated, seeded, and a publisher to log in.
SETUP = """
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("loaddata", "seed", verbosity=0)
get_user_model().objects.create_superuser("boss", "boss@example.org", "{password}")
"""
TOMSK = ZoneInfo("Asia/Tomsk")  # settings.TIME_ZONE: the admin reads times in it


@pytest.fixture(scope="module")
def database_url():
    """A database of its own on the suite's server: the servers commit to it as in production."""
    with own_database(connection.settings_dict, f"inotomsk_two_servers_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="module")
def site(request, database_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-servers")
    env = production_env(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),  # one key: sessions and signatures
        DATABASE_URL=database_url,
        REDIS_URL=f"{REDIS_URL}/{REDIS_DB}",
        DJANGO_ALLOWED_HOSTS="localhost",
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
        DJANGO_CLIENT_IP_HEADER="X-Forwarded-For",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),  # unused: media are objects
    )
    # A release installed as docs/deployment.md does, while the object store starts.
    with release_installed(env, SETUP.format(password=PASSWORD)):
        store = request.getfixturevalue("seaweedfs").config(f"two{secrets.token_hex(8)}")
        objectstore.client(store).create_bucket(Bucket=store["bucket"])
    # The store's settings as the environment gives them (inotomsk/objectstore.py).
    env |= {name: str(store[key]) for key, name in objectstore.VARIABLES.items() if store[key]}
    servers = Site(folder, env)
    try:
        yield servers.start()
    finally:
        servers.stop()


@pytest.fixture(scope="module")
def staff(site):
    """A publisher logged in on server 1 (its session is a database row either server reads)."""
    browser = site.server_browser(0, client_address="198.51.100.10")
    assert browser.log_in("boss", PASSWORD).status == 302
    return browser


def add_article(staff, title, published_at=None, **fields):
    """Add an article through the admin form, published (now, or at ``published_at``)."""
    local = published_at.astimezone(TOMSK) if published_at else None
    data = {
        "title": title,
        "slug": title.lower().replace(" ", "-").replace(":", ""),
        "status": "published",
        "published_at_0": local.strftime("%Y-%m-%d") if local else "",
        "published_at_1": local.strftime("%H:%M:%S") if local else "",
        "lead": f"The lead of {title}.",
        "body": f"The text of {title}.",
        **fields,
    }
    answer = staff.post("/admin/news/article/add/", data)
    assert answer.status == 302, answer.text[-3000:]
    return f"/news/{data['slug']}/"


def everyone(site):
    """Anonymous visitors: straight to server 1, to server 2, and through nginx."""
    return [site.server_browser(0), site.server_browser(1), site.nginx_browser()]


def test_a_publish_on_one_server_shows_on_the_other_within_a_second(site, staff):
    title = "Published on one server"
    for visitor in everyone(site):
        # The lists are kept in the page cache (Redis) before the publish.
        for _ in range(2):
            answer = visitor.get("/news/")
            assert answer.status == 200 and title not in answer.text
    assert site.kept_pages(), "no page kept in Redis"
    address = add_article(staff, title)
    # Server 2 first, asked as soon as server 1 has saved; then nginx and server 1 itself.
    server_1, server_2, through_nginx = everyone(site)
    for visitor in (server_2, through_nginx, server_1):
        waited = visitor.seen_within("/news/", title, seconds=1)
        assert waited is not None, f"not on /news/ of port {visitor.port} within 1 s"
        assert visitor.get(address).status == 200


def test_a_scheduled_article_appears_on_both_servers_at_its_time(site, staff):
    title = "Scheduled on one server"
    # Far enough ahead to see it hidden on each of the three first, even on a busy machine.
    at = (timezone.now() + timedelta(seconds=8)).replace(microsecond=0)
    address = add_article(staff, title, published_at=at)
    for visitor in everyone(site):
        answer = visitor.get("/news/")
        assert answer.status == 200 and title not in answer.text
        assert visitor.get(address).status == 404
    assert timezone.now() < at, "checked too late to see it hidden: the machine is too slow"
    time.sleep(max(0, (at - timezone.now()).total_seconds()))
    for visitor in everyone(site):
        waited = visitor.seen_within("/news/", title, seconds=1)
        assert waited is not None, f"not on /news/ of port {visitor.port} a second after its time"
        assert visitor.get(address).status == 200


def refused(answer):
    return answer.status == 200 and "Too many failed log-in attempts" in answer.text


def test_a_log_in_throttled_on_one_server_is_throttled_on_the_other(site):
    # Failures on server 1 from one client (127.0.0.7, in the header nginx sets) reach the limit.
    one = site.server_browser(0, client_address="127.0.0.7")
    for _ in range(5):
        answer = one.log_in("boss", "wrong")
        assert answer.status == 200 and "correct username and password" in answer.text
    # Server 2 refuses that client even the right password, as does nginx, which writes the
    # client's address into the header itself.
    assert refused(site.server_browser(1, client_address="127.0.0.7").log_in("boss", PASSWORD))
    assert refused(site.nginx_browser(source="127.0.0.7").log_in("boss", PASSWORD))
    # Another client naming the locked address is still itself to nginx: it logs in.
    forged = site.nginx_browser(source="127.0.0.8")
    forged.headers["X-Forwarded-For"] = "127.0.0.7"
    assert forged.log_in("boss", PASSWORD).status == 302


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (640, 320), "teal").save(out, format="JPEG")
    out.seek(0)
    out.name = "river.jpg"
    return out


def test_an_upload_through_one_server_is_served_through_the_other(site, staff):
    address = add_article(staff, "Uploaded on one server", image=jpeg(), image_alt="The Tom")
    for visitor in everyone(site)[1:]:
        page = visitor.get(address).text
        link = page.split('property="og:image" content="', 1)[1].split('"', 1)[0]
        name = link.split("/media/", 1)[1]
        # The site's address of the picture redirects to a signed link to the store.
        redirect = visitor.get(f"/media/{name}")
        assert redirect.status == 302, redirect.status
        location = redirect.headers["Location"]
        assert location.startswith(site.env["DJANGO_S3_ENDPOINT_URL"])
        with urllib.request.urlopen(location, timeout=10) as stored:
            picture = Image.open(io.BytesIO(stored.read()))
        assert (picture.format, picture.size) == ("JPEG", (640, 320))


def test_nginx_balances_compresses_and_serves_static_files_itself(site):
    visitor = site.nginx_browser()
    manifest = json.loads((site.folder / "static" / "staticfiles.json").read_text())
    css = f"/static/{manifest['paths']['admin/css/base.css']}"
    # From STATIC_ROOT by nginx, with collectstatic's compressed copy (gzip_static).
    answer = visitor.get(css, headers={"Accept-Encoding": "gzip"})
    assert answer.status == 200 and "immutable" in answer.headers["Cache-Control"]
    assert answer.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.body) == (site.folder / "static" / css[8:]).read_bytes()
    for _ in range(4):
        page = visitor.get("/", headers={"Accept-Encoding": "gzip"})
        assert page.status == 200 and page.headers["Content-Encoding"] == "gzip"
        assert b"<h1" in gzip.decompress(page.body)
    answered_by = {upstreams[-1] for _s, _m, path, upstreams in site.access_log() if path == "/"}
    assert answered_by == {f"127.0.0.1:{port}" for port in site.gunicorn_ports}


LOAD_PATHS = ["/", "/news/", "/projects/", "/robots.txt", "/healthz"]
LOAD_THREADS = 4


def load(site, seconds, midway):
    """GETs of LOAD_PATHS through nginx from LOAD_THREADS visitors (each on one kept-alive
    connection) for ``seconds``, calling ``midway`` half-way: (path, status or error) each."""
    results, stop = [], threading.Event()

    def visitor(offset):
        connection = None
        for n in itertools.count(offset):
            if stop.is_set():
                break
            path = LOAD_PATHS[n % len(LOAD_PATHS)]
            connection = connection or http.client.HTTPSConnection(
                "localhost", site.https_port, timeout=10, context=tls_context()
            )
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                results.append((path, response.status))
            except (OSError, http.client.HTTPException) as error:
                results.append((path, type(error).__name__))
                connection.close()
                connection = None
        if connection:
            connection.close()

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(LOAD_THREADS)]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 2)
    midway()
    time.sleep(seconds / 2)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_killing_one_server_under_load_loses_no_request(site, record_property):
    for path in LOAD_PATHS:  # each page kept once
        assert site.nginx_browser().get(path).status == 200, path
    logged_before, errors_before = len(site.access_log()), len(site.error_log())
    results = load(site, seconds=4, midway=lambda: site.kill(1))

    failed = [(path, status) for path, status in results if status != 200]
    after = site.access_log()[logged_before:]
    dead = f"127.0.0.1:{site.gunicorn_ports[1]}"
    retried = [upstreams for *_, upstreams in after if len(upstreams) > 1]
    # An answer server 2 was already sending when it died: nginx had begun passing it on, so
    # no proxy can send that request again; at most one per worker (WEB_CONCURRENCY=2).
    cut = [line for line in site.error_log()[errors_before:] if "while reading upstream," in line]
    summary = (
        f"{len(results)} GETs: {len(retried)} retried by nginx on the other server, "
        f"{len(cut)} cut mid-answer by the kill, {len(failed)} failed"
    )
    record_property("two_servers_kill", summary)  # in the JUnit report, if one is asked for
    print(summary)
    assert len(results) >= 40, summary
    # None of the failures is one nginx could retry: no error answer (502, 504), and no more
    # than the answers cut mid-way.
    assert all(not isinstance(status, int) for _path, status in failed), f"{summary}: {failed}"
    assert len(failed) <= len(cut) <= 2, f"{summary}: {failed}"
    # Server 2 answered its share until it was killed; nginx passed what it was asked after
    # that to server 1, and then, for fail_timeout, sent server 2 nothing more (max_fails).
    assert any(upstreams == [dead] for *_, upstreams in after), "server 2 took no load"
    assert retried and all(upstreams[0] == dead for upstreams in retried), retried
    assert len(retried) <= 3 + LOAD_THREADS, summary
    with pytest.raises(OSError):
        site.server_browser(1).get("/robots.txt", timeout=2)
