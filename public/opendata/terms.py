"""The terms of the open data: licence, publisher and the row limit of a download."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Licence of every data set; OPEN_DATA_LICENCE in the settings may name another.
DEFAULT_LICENCE = {
    "code": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


def licence():
    return getattr(settings, "OPEN_DATA_LICENCE", None) or DEFAULT_LICENCE


def publisher():
    return getattr(settings, "OPEN_DATA_PUBLISHER", None) or _("INO Tomsk programme portal")


def download_limit():
    return getattr(settings, "DOWNLOAD_MAX_ROWS", 10_000)
