"""A publisher (paula) and an editor (eddie), each logged in to the admin."""

import pytest

from cms.roles import EDITORS, PUBLISHERS

from ..admin_forms import staff


@pytest.fixture
def paula(django_user_model):
    return staff(django_user_model, "paula", PUBLISHERS)


@pytest.fixture
def eddie(django_user_model):
    return staff(django_user_model, "eddie", EDITORS)
