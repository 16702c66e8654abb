"""An editor and a publisher of the admin."""

import pytest
from django.contrib.auth.models import Group

from cms.roles import EDITORS, PUBLISHERS


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("eddie", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def publisher(django_user_model):
    user = django_user_model.objects.create_user("paula", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user
