"""A content version ends by itself at the soonest scheduled change (public.caching)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from public.caching import current_version, end_content_version

from . import factories

pytestmark = pytest.mark.django_db


def test_the_version_ends_at_the_soonest_scheduled_publication_or_event_end():
    now = timezone.now()
    for days in (9, 3, 6):
        factories.article(published_at=now + timedelta(days=days))
    factories.article(published_at=now - timedelta(days=1))  # already out
    event = factories.event(start=now + timedelta(days=2))  # ends 3 hours later
    cache.clear()
    end_content_version()

    assert current_version().ends_at == event.end

    event.delete()
    cache.clear()
    assert current_version().ends_at == now + timedelta(days=3)


def test_without_scheduled_changes_the_version_runs_until_content_changes():
    factories.article(published_at=timezone.now() - timedelta(days=1))
    cache.clear()
    end_content_version()

    version = current_version()
    assert version.ends_at is None and version.is_running
