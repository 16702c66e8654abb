"""The admin's change form as a browser posts it, and logged-in staff clients: helpers for the
tests that save through the admin."""

from html.parser import HTMLParser

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse


class _FormInputs(HTMLParser):
    """What a browser would post from the admin's change form on a page."""

    def __init__(self):
        super().__init__()
        self.pairs = []
        self._in_form = False
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.pairs.append((name, attrs.get("value") or "on"))
                return
            self.pairs.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs, [])
        elif tag == "option" and self._select:
            self._select[2].append((attrs.get("value") or "", "selected" in attrs))

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            name, parts = self._textarea
            text = "".join(parts)
            self.pairs.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select:
            name, multiple, options = self._select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            self.pairs.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "form":
            self._in_form = False


def form_data(response, **changes):
    """The change form of a response as the browser posts it, with some fields changed."""
    assert response.status_code == 200
    parser = _FormInputs()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.pairs:
        data.setdefault(name, []).append(value)
    data = {name: values[0] if len(values) == 1 else values for name, values in data.items()}
    data.update(changes)
    data["_save"] = "Save"
    return data


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def staff(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def errors(response):
    form = response.context["adminform"].form
    return form.non_field_errors(), form.errors
