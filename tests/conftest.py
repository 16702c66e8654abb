import pytest
from django.core.management import call_command

# A real S3-compatible server for the object-storage tests, started when first asked for.
from .seaweedfs import bucket, seaweedfs  # noqa: F401


@pytest.fixture
def seeded(db):
    """The seed fixtures, loaded as an operator would."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-for-tests")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages must not leak between tests (their database rows are rolled back)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def no_page_cache(settings):
    """Measure the pages themselves, not the whole-page cache in front of them."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("PageCacheMiddleware")]


@pytest.fixture(autouse=True)
def _english_to_begin_with():
    """Each test starts in English: a request to /ru/ leaves Russian active in the thread,
    and texts set in code go to the active language's column."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
