"""The log: a refused request is one line, without a traceback (LOGGING in the settings)."""

import io
import logging
import sys

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """What the configured console handler writes, captured."""
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if any(type(f).__name__ == "RefusedRequestFilter" for f in h.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


@pytest.mark.parametrize(
    ("url", "host", "logged"),
    [
        ("/search/?q=" + "x" * 5000, "testserver", "The search text is too long"),
        ("/news/?q=a%00b", "testserver", "NUL character"),
        ("/", "evil.example", "Invalid HTTP_HOST header: 'evil.example'"),
    ],
)
def test_a_refused_request_is_one_line_without_traceback(console, url, host, logged):
    response = Client(HTTP_HOST=host).get(url)
    assert response.status_code == 400
    output = console.getvalue()
    assert logged in output
    assert "Traceback" not in output
    assert len(output.strip().splitlines()) == 1, output


def test_line_breaks_sent_by_a_client_stay_on_one_line(console):
    response = Client(HTTP_HOST="evil.example\nFAKE ENTRY").get("/")
    assert response.status_code == 400
    assert len(console.getvalue().strip().splitlines()) == 1


def test_a_server_error_keeps_its_traceback(console):
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: /x/", exc_info=sys.exc_info(), extra={"status_code": 500}
        )
    assert "Traceback" in console.getvalue()
