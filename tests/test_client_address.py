"""Behind a reverse proxy each client keeps its own address (cms.addresses.client_address),
so the per-client limits (API, downloads, log-in) are per client, not shared through the proxy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks.registry import registry
from django.test import Client, RequestFactory
from django.urls import reverse

from cms import addresses, throttle

ROOT = Path(__file__).resolve().parent.parent
PROXY = "127.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "header", "remote", "sent", "client"),
    [
        # No trusted proxy configured: the header is never read.
        ([], "X-Forwarded-For", PROXY, "203.0.113.9", PROXY),
        # The proxy's own entry is the right-most; what the client wrote is further left.
        ([PROXY], "X-Forwarded-For", PROXY, "203.0.113.9", "203.0.113.9"),
        ([PROXY], "X-Forwarded-For", PROXY, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        # Two proxies of ours (a load balancer in a private network, then nginx).
        (["10.0.0.0/8", PROXY], "X-Forwarded-For", PROXY, "203.0.113.9, 10.1.2.3", "203.0.113.9"),
        # A request that does not come from a trusted proxy: whatever it says is ignored.
        ([PROXY], "X-Forwarded-For", "198.51.100.4", "203.0.113.9", "198.51.100.4"),
        # X-Real-IP (nginx's $remote_addr), IPv6, and garbage.
        ([PROXY], "X-Real-IP", PROXY, "203.0.113.9", "203.0.113.9"),
        ([PROXY], "X-Forwarded-For", PROXY, "2001:db8::1", "2001:db8::1"),
        ([PROXY], "X-Forwarded-For", PROXY, "not-an-address", PROXY),
        ([PROXY], "X-Forwarded-For", PROXY, "", PROXY),
        # Only proxies of ours: the request began at the left-most.
        (["10.0.0.0/8", PROXY], "X-Forwarded-For", PROXY, "10.0.0.5, 10.0.0.6", "10.0.0.5"),
    ],
)
def test_client_address(settings, proxies, header, remote, sent, client):
    settings.TRUSTED_PROXIES = proxies
    settings.CLIENT_IP_HEADER = header
    meta = {"HTTP_" + header.upper().replace("-", "_"): sent} if sent else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **meta)
    assert addresses.client_address(request) == client


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"


def via_proxy(address):
    """A test client whose requests come through the proxy for ``address``."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


@pytest.mark.django_db
def test_api_budget_is_per_client_behind_the_proxy(settings, behind_proxy):
    settings.API_THROTTLE_RATE = "3/min"
    first, second = via_proxy("203.0.113.1"), via_proxy("203.0.113.2")
    for _ in range(3):
        assert first.get("/api/v1/").status_code == 200
    refused = first.get("/api/v1/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    # Another visitor behind the same proxy still has the whole budget.
    assert second.get("/api/v1/").status_code == 200


@pytest.mark.django_db
def test_a_forged_header_from_outside_gets_no_fresh_budget(settings, behind_proxy):
    settings.API_THROTTLE_RATE = "3/min"
    for n in range(3):
        response = Client(REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert response.get("/api/v1/").status_code == 200
    forged = Client(REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert forged.get("/api/v1/").status_code == 429


@pytest.mark.django_db
def test_failed_log_ins_behind_the_proxy_lock_out_only_their_sender(
    behind_proxy, monkeypatch, django_user_model
):
    monkeypatch.setattr(throttle, "ADDRESS_FAILURES", 10)
    django_user_model.objects.create_user("olga", password="Correct-horse-42", is_staff=True)
    login = reverse("admin:login")
    attacker = via_proxy("203.0.113.66")
    for n in range(10):
        attacker.post(login, {"username": f"guess{n}", "password": "wrong"})
    refused = attacker.post(login, {"username": "olga", "password": "Correct-horse-42"})
    assert refused.status_code == 200 and "Too many failed log-in attempts" in refused.text
    staff = via_proxy("198.51.100.7")
    response = staff.post(login, {"username": "olga", "password": "Correct-horse-42"})
    assert response.status_code == 302


def test_https_without_trusted_proxies_warns(settings):
    assert addresses.check_trusted_proxies in registry.get_checks()
    settings.HTTPS, settings.TRUSTED_PROXIES = True, []
    (warning,) = addresses.check_trusted_proxies(None)
    assert warning.id == "cms.W001" and "DJANGO_TRUSTED_PROXIES" in warning.msg
    settings.TRUSTED_PROXIES = [PROXY]
    assert addresses.check_trusted_proxies(None) == []
    settings.HTTPS, settings.TRUSTED_PROXIES = False, []
    assert addresses.check_trusted_proxies(None) == []


def run_check(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "inotomsk.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_come_from_the_environment():
    unset = run_check(DJANGO_SECRET_KEY="k" * 50 + "-not-a-secret-but-long")
    assert unset.returncode != 0 and "cms.W001" in unset.stderr
    result = run_check(
        DJANGO_SECRET_KEY="k" * 50 + "-not-a-secret-but-long",
        DJANGO_TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8",
        DJANGO_CLIENT_IP_HEADER="X-Real-IP",
    )
    assert result.returncode == 0, result.stderr
    invalid = run_check(
        DJANGO_SECRET_KEY="k" * 50 + "-not-a-secret-but-long",
        DJANGO_TRUSTED_PROXIES="127.0.0.1, proxy.example",
    )
    assert invalid.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES: 'proxy.example' is not an IP address" in invalid.stderr
