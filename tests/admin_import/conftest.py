"""An editor and a publisher logged in to the admin."""

import pytest

from cms.roles import EDITORS, PUBLISHERS

from .helpers import user_in


@pytest.fixture
def as_editor(client, django_user_model):
    client.force_login(user_in(django_user_model, "eddie", EDITORS))
    return client


@pytest.fixture
def as_publisher(client, django_user_model):
    client.force_login(user_in(django_user_model, "paula", PUBLISHERS))
    return client
