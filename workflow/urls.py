"""The preview links' address, in both languages (inotomsk/urls.py puts it in the i18n part)."""

from django.urls import path

from .preview import preview

app_name = "workflow"
urlpatterns = [path("<str:token>/", preview, name="preview")]
