"""Chromium for the browser tests: where it is, the window sizes, what skips the tests without
it (and fails them in CI), and a tab that records what went wrong while it loaded pages."""

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ASSETS = HERE / "assets"
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
# Headless, and none of Chromium's background connections: the test machines have no internet.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # Chromium refuses to run as root with its sandbox (containers, CI)
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VNU_VERSION = "26.9.27"
VNU_CACHE = ROOT / ".cache" / "vnu"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


def _missing_browser():
    try:
        import playwright.sync_api  # noqa: F401  (a dev extra: without it the tests are skipped)
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (install it with: apt-get install chromium)"
    return None


MISSING = _missing_browser()
SKIPPED_FOR = []  # reasons other browser tests were skipped, for the summary


def require(reason):
    """Skip for want of a tool, except in CI, where every browser test must run."""
    if IN_CI:
        pytest.fail(f"This test must run in CI, but {reason}.", pytrace=False)
    SKIPPED_FOR.append(reason)
    pytest.skip(reason)


@dataclass
class Tab:
    """A browser tab on the live server, recording what went wrong while it loaded pages."""

    page: object
    base_url: str
    problems: list = field(default_factory=list)

    def url(self, path):
        return self.base_url + path

    def goto(self, path, status=200):
        response = self.page.goto(self.url(path))
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path} answered {response.status}, not {status}"
        return response

    def watch(self):
        page = self.page

        def on_console(message):
            # Chromium also logs every failed load; on_response reports those that matter.
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                self.problems.append(f"console error on {page.url}: {message.text}")

        def on_response(response):
            # The page itself may be a 404 on purpose; its images, styles and scripts may not.
            if response.status >= 400 and response.request.resource_type != "document":
                self.problems.append(f"{response.status} for {response.url} on {page.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("response", on_response)
        return self
