import pytest
from django.core.management import call_command
from django.db import transaction

# A real S3-compatible server for the object-storage tests, started when first asked for.
from .seaweedfs import bucket, seaweedfs  # noqa: F401


class _SessionSeed:
    """The seed fixtures, loaded once per test session inside a transaction that stays open.

    Tests that ask for ``seeded`` without committing (the ``db`` kind) run one after another
    (see ``pytest_collection_modifyitems``), each in a savepoint inside that transaction, so the
    seeds are written once; the transaction is rolled back before the first test of another
    kind. Transactional tests (browser tests, ``transactional_db``) empty the database between
    tests, so they load the seeds themselves.
    """

    atomic = None  # the open transaction.atomic() holding the seeds
    blocker = None

    @classmethod
    def open(cls, blocker):
        cls.blocker = blocker
        with blocker.unblock():
            cls.atomic = transaction.atomic()
            cls.atomic.__enter__()
            call_command("loaddata", "seed", verbosity=0)

    @classmethod
    def close(cls):
        if cls.atomic is None:
            return
        with cls.blocker.unblock():
            transaction.set_rollback(True)
            cls.atomic.__exit__(None, None, None)
        cls.atomic = None


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _shares_session_seed(item):
    return "seeded" in getattr(item, "fixturenames", ()) and not _is_transactional(item)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Keep pytest-django's order (plain database tests, then transactional ones) but run the
    plain tests that use the seeds together, at the end of their group, with the session's
    seeds set up before their own transaction."""

    def group(item):
        if _is_transactional(item):
            return 2
        if "db" in getattr(item, "fixturenames", ()) or item.get_closest_marker("django_db"):
            return 1 if _shares_session_seed(item) else 0
        return 3

    items.sort(key=group)
    for item in items:
        if _shares_session_seed(item):
            item.fixturenames.insert(0, "_session_seed")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if nextitem is None or not _shares_session_seed(nextitem):
        _SessionSeed.close()


@pytest.fixture(scope="session")
def _session_seed(django_db_setup, django_db_blocker):
    _SessionSeed.open(django_db_blocker)
    yield
    _SessionSeed.close()


@pytest.fixture
def seeded(request, db):
    """The seed fixtures, as an operator loads them (once per session where it can; see
    _SessionSeed)."""
    if _SessionSeed.atomic is None or not _shares_session_seed(request.node):
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
