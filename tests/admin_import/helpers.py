"""Spreadsheet files, and the admin's import preview and confirmation as a browser posts them."""

import csv
import io

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

CSV, XLSX = "0", "1"  # the format choices of the import form


def user_in(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def admin_url(model, view):
    return reverse(f"admin:portal_{model._meta.model_name}_{view}")


def csv_file(rows, name="rows.csv", encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def preview(client, model, upload, fmt=CSV):
    """Step one: the upload and its dry run."""
    return client.post(
        admin_url(model, "import"), {"import_file": upload, "format": fmt, "resource": "0"}
    )


def confirm(client, model, response):
    """Step two: confirm what the preview offered."""
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(admin_url(model, "process_import"), data)
