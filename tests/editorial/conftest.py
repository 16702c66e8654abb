"""A member of the publishers' group (the editors' tests need one too)."""

import pytest
from django.contrib.auth.models import Group

from cms.roles import PUBLISHERS


@pytest.fixture
def publisher(django_user_model):
    user = django_user_model.objects.create_user("paula", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user
