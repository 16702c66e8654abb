"""The pages that show a listing: a filtered page (the statistics) and a list page.

``FilteredPageMixin`` parses the query string once (``self.query``), makes the listing
(``self.listing``), answers 400 where a value was refused, and gives the filter panel its
context: facets, chips, notices. ``ListingView`` adds the page of rows and the downloads.
"""

from django.conf import settings
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cms.translated import localized_ordering

from ..base import PublicPageMixin
from ..downloads import ListDownloadMixin
from ..links import query_without
from . import refusals
from .listing import Listing
from .pages import in_order
from .query import parse_query


class FilteredPageMixin:
    """A page filtered by ``filterset_class`` (a ``ListFilterSet``)."""

    filterset_class = None
    title = ""
    paginate_by = settings.PORTAL_PAGE_SIZE
    page_kwarg = "page"

    @property
    def model(self):
        return self.filterset_class._meta.model

    def order_rows(self, rows):
        """The filtered rows in list order: by name (or title) in the page's language where
        the model orders by one; a search's own order (by rank) is kept."""
        ordering = localized_ordering(self.model)
        if ordering and not rows.query.order_by:
            rows = rows.order_by(*ordering)
        return rows

    def get(self, request, *args, **kwargs):
        self.query = parse_query(self.filterset_class, request.GET, known=(self.page_kwarg,))
        self.listing = Listing(
            self.filterset_class, self.query, order=self.order_rows, per_page=self.paginate_by
        )
        response = super().get(request, *args, **kwargs)
        if self.query.refused:
            response.status_code = 400
        return response

    @cached_property
    def chips(self):
        """The applied filters, each with the URL that removes it."""
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)  # a narrower list starts on its first page
        return [
            {
                "name": str(self.listing.filters[choice.name].label),
                "label": choice.label,
                "lang": choice.lang,
                "remove_url": f"?{query_without(query, choice.name, choice.value)}",
            }
            for choice in self.query.choices
        ]

    def filter_context(self):
        """What the filter panel, the chips and the notices of refused values show."""
        return {
            "listing": self.listing,
            "list_query": self.query,
            "facets": SimpleLazyObject(self.listing.facets),
            "active_filters": self.chips,
            "filter_notices": refusals.notices(self.query.refused),
            "ignored_parameters": list(self.query.ignored),
            "query": self.query.text,
            "page_title": self.title,
        }

    def get_page_meta(self):
        meta = super().get_page_meta()
        title = str(self.title)
        if self.query.labels:
            title = f"{title}: {', '.join(self.query.labels)}"
        page = self.request.GET.get(self.page_kwarg)
        if page and page != "1":
            title = _("%(title)s, page %(page)s") % {"title": title, "page": page[:10]}
        meta["title"] = title
        return meta


class ListingView(FilteredPageMixin, ListDownloadMixin, PublicPageMixin, TemplateView):
    """A paginated list of published rows with facets (news, projects, events, …).

    The listing gives the keys of a page (kept for the content version); the page then loads
    just those rows with ``row_queryset()``. Refused filter values are dropped with a notice
    and a 400; parameters the page does not read are ignored with a notice.
    """

    def row_queryset(self):
        """The published rows as a row shows them (related rows joined or prefetched)."""
        return self.model.objects.published()

    def get_context_data(self, **kwargs):
        page = self.listing.page(self.request.GET.get(self.page_kwarg) or 1)
        context = super().get_context_data(**kwargs)
        context.update(
            self.filter_context(),
            paginator=self.listing.paginator,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            rows=in_order(self.row_queryset(), list(page)),
            search_limit=None,
        )
        return context
