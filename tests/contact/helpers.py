"""The staff address, the admin list, the feedback form as a browser posts it, and a mail
backend that always fails."""

import time

from django.core import signing

from contact import spam

STAFF = "desk@ino-tomsk.example"
ADMIN_LIST = "/admin/contact/contactmessage/"


def issued(seconds_ago=10):
    return signing.dumps(int(time.time()) - seconds_ago, salt=spam.SALT)


def form_data(**changes):
    data = {
        "name": "Анна Петрова",
        "email": "anna@example.org",
        "topic": "Partnership",
        "message": "Hello,\nwe would like to join the cluster.",
        "consent": "on",
        "website": "",
        "issued": issued(),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")
