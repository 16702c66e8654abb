"""The staff address messages go to, and sending the form."""

import pytest

from .helpers import STAFF, form_data


@pytest.fixture(autouse=True)
def staff_address(settings):
    settings.CONTACT_EMAIL = STAFF


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """POST the form as a visitor, running what waits for the commit (the e-mail's task)."""

    def send(path="/contact/", visitor=client, **changes):
        with django_capture_on_commit_callbacks(execute=True):
            return visitor.post(path, form_data(**changes))

    return send
