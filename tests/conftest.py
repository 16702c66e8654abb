import pytest
from django.core.management import call_command


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
