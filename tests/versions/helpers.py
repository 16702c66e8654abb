"""Admin addresses, saves and restores through the admin, and the versions an object keeps."""

import re

from django.urls import reverse
from reversion.models import Version

from ..admin_forms import form_data


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def versions(obj):
    """The object's versions, oldest first."""
    return list(Version.objects.get_for_object(obj).select_related("revision").order_by("pk"))


def edit(client, obj, **changes):
    response = client.post(
        url(type(obj), "change", obj.pk),
        form_data(client.get(url(type(obj), "change", obj.pk)), **changes),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()
    return obj


def restore(client, version, **changes):
    """Open a version's page (the form filled with it) and save it."""
    model = version._model
    page = client.get(url(model, "revision", version.object_id, version.pk))
    return client.post(
        url(model, "revision", version.object_id, version.pk), form_data(page, **changes)
    )


def assert_no_inline_code(response):
    """The pages obey the strict CSP: no inline script or style to be refused."""
    assert "Content-Security-Policy" in response.headers
    content = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", content)
    assert "<style" not in content
    assert not re.search(r"\sstyle=", content)
    assert not re.search(r"\son[a-z]+=", content)
