"""A media directory of each test's own."""

from pathlib import Path

import pytest


@pytest.fixture
def media(settings, tmp_path):
    """A media directory of the test's own: stored names do not depend on other tests."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)
