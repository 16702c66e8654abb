"""A member of staff who may log in."""

import pytest


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "olga", password="Correct-horse-42", is_staff=True, is_superuser=True
    )
