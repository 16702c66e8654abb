"""A real SMTP server for the tests (aiosmtpd), on a free port of the loopback address."""

import email
import socket
from email import policy

import pytest


class Inbox:
    """Collects what the server receives: parsed messages with their envelope recipients."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, parsed))
        return "250 OK"

    def clear(self):
        self.messages.clear()

    def to(self, address):
        return [message for rcpt, message in self.messages if address in rcpt]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _controller_class():
    """aiosmtpd imports ``public`` (the atpublic package), a name our ``public`` app holds:
    its modules are imported with atpublic's in place, then the app's is put back."""
    import importlib.util
    import sys
    import sysconfig

    folder = f"{sysconfig.get_paths()['purelib']}/public"
    spec = importlib.util.spec_from_file_location(
        "public", f"{folder}/__init__.py", submodule_search_locations=[folder]
    )
    atpublic = importlib.util.module_from_spec(spec)
    ours = sys.modules.get("public")
    sys.modules["public"] = atpublic
    try:
        spec.loader.exec_module(atpublic)
        from aiosmtpd.controller import Controller
    finally:
        if ours is not None:
            sys.modules["public"] = ours
    return Controller


@pytest.fixture(scope="session")
def smtp_server():
    Controller = _controller_class()

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def smtp(smtp_server, settings):
    """Django's SMTP backend pointed at the test server; the inbox, emptied."""
    controller, inbox = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    inbox.clear()
    return inbox
