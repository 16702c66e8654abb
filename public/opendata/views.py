"""The /open-data/ page: every data set's passport."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from ..base import PublicPageMixin
from .registry import datasets, last_changes
from .terms import download_limit, licence, publisher


class OpenDataView(PublicPageMixin, TemplateView):
    template_name = "public/open_data.html"
    section = "open-data"
    page_title = _("Open data")
    page_description = _(
        "The portal's data sets (news, projects, stakeholders, parks and more) in CSV and "
        "JSON, with their descriptions, structure and licence."
    )

    @cached_property
    def passports(self):
        changes = last_changes()
        result = []
        for dataset in datasets():
            list_url = dataset.list_url()
            result.append(
                {
                    "dataset": dataset,
                    "identifier": f"inotomsk-{dataset.identifier}",
                    "updated": changes.get(dataset.identifier),
                    "list_url": list_url,
                    "csv_url": f"{list_url}?format=csv",
                    "json_url": f"{list_url}?format=json",
                    "api_url": dataset.api_url(),
                }
            )
        return result

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            passports=self.passports,
            licence=licence(),
            publisher=publisher(),
            row_limit=download_limit(),
            **kwargs,
        )
