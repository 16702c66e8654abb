"""A visitor for tests that talk HTTP to real servers (tests/test_two_servers.py).

``Browser`` keeps its cookies and posts forms as the admin's pages do. Over HTTPS it is a
client of nginx, from a loopback address of its choice; over plain HTTP it talks straight to
one gunicorn and adds what nginx would: X-Forwarded-Proto and the client's address.
"""

import http.client
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie

from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from .test_nginx import tls_context


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
