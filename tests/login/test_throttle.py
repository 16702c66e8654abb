"""Failed log-ins wait, per name and address and per address, with growing waits that
end; unknown names behave like known ones; no cache keeps the counts."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.core.cache import caches

from cms import throttle as security
from cms.models import LoginThrottle

from .helpers import INVALID, errors, fail_until_throttled, let_time_pass, locked, log_in

pytestmark = pytest.mark.django_db


def test_correct_password_logs_in(client, staff):
    response = log_in(client, "olga", "Correct-horse-42")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(staff.pk)
    assert not LoginThrottle.objects.exclude(failures=0).exists()


def test_name_and_address_wait_after_a_handful_of_failures(client, staff):
    fail_until_throttled(client)
    # Even the right password is refused now: it is not checked at all.
    response = log_in(client, "olga", "Correct-horse-42")
    assert response.status_code == 200
    assert errors(response) == [locked(1)]
    assert SESSION_KEY not in client.session
    # Another account from the same address still works.
    User.objects.create_user("ivan", password="Another-pass-77", is_staff=True)
    assert log_in(client, "ivan", "Another-pass-77").status_code == 302


def test_failures_elsewhere_do_not_lock_staff_out(client, staff):
    for attacker in ("203.0.113.5", "203.0.113.6"):
        fail_until_throttled(client, address=attacker)
        assert errors(log_in(client, "olga", "wrong", address=attacker)) == [locked(1)]
    response = log_in(client, "olga", "Correct-horse-42", address="198.51.100.7")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_waits_grow_with_each_further_failure(client, staff):
    fail_until_throttled(client)
    for minutes in (1, 2, 4, 8, 15, 15):
        assert errors(log_in(client, "olga", "wrong")) == [locked(minutes)]
        let_time_pass(timedelta(minutes=minutes, seconds=1))
        # One more guess is checked once the wait is over, and the next wait is longer.
        assert errors(log_in(client, "olga", "wrong")) == [INVALID]
    let_time_pass(timedelta(minutes=15, seconds=1))
    assert log_in(client, "olga", "Correct-horse-42").status_code == 302
    assert LoginThrottle.objects.get(key=security.pair_key("olga", "192.0.2.10")).failures == 0


def test_pair_failures_are_forgotten_after_a_day(client, staff):
    fail_until_throttled(client)
    let_time_pass(security.PAIR_WINDOW)
    fail_until_throttled(client)
    assert errors(log_in(client, "olga", "wrong")) == [locked(1)]


def test_success_clears_the_pairs_count(client, staff):
    for _round in range(2):
        for _ in range(security.PAIR_FREE_FAILURES - 1):
            assert errors(log_in(client, "olga", "wrong")) == [INVALID]
        assert log_in(client, "olga", "Correct-horse-42").status_code == 302
        client.logout()


def test_address_ceiling_stops_trying_many_names(client, staff):
    spray = "203.0.113.5"
    for n in range(security.ADDRESS_FAILURES):
        assert errors(log_in(client, f"guess{n}", "wrong", address=spray)) == [INVALID]
    assert errors(log_in(client, "someone-new", "wrong", address=spray)) == [locked(15)]
    assert errors(log_in(client, "olga", "Correct-horse-42", address=spray)) == [locked(15)]
    # The account itself is not locked: from anywhere else it logs in.
    assert log_in(client, "olga", "Correct-horse-42", address="203.0.113.6").status_code == 302
    client.logout()
    # Once the window is over the address may try again.
    let_time_pass(security.ADDRESS_WINDOW)
    assert log_in(client, "olga", "Correct-horse-42", address=spray).status_code == 302


def test_own_valid_account_does_not_reset_the_address_ceiling(client, staff, monkeypatch):
    monkeypatch.setattr(security, "ADDRESS_FAILURES", 6)
    User.objects.create_user("ivan", password="Another-pass-77", is_staff=True)
    for n in range(5):
        assert errors(log_in(client, f"guess{n}", "wrong")) == [INVALID]
    assert log_in(client, "ivan", "Another-pass-77").status_code == 302
    client.logout()
    assert errors(log_in(client, "guess5", "wrong")) == [INVALID]
    assert errors(log_in(client, "ivan", "Another-pass-77")) == [locked(15)]


def test_unknown_names_behave_exactly_like_known_ones(client, staff):
    def attempts(username):
        responses = [log_in(client, username, "wrong") for _ in range(7)]
        return [(r.status_code, errors(r)) for r in responses]

    assert attempts("nobody") == attempts("olga")
    # Case and surrounding spaces do not give a name fresh tries.
    assert errors(log_in(client, "NoBody ", "wrong")) == [locked(1)]


def test_counters_are_not_kept_in_any_cache(client, staff):
    fail_until_throttled(client)
    for each in caches.all():
        each.clear()
    assert errors(log_in(client, "olga", "Correct-horse-42")) == [locked(1)]
