"""What every public page shares: the page mixin, faceted list pages and detail pages."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from cms.translated import localized_ordering

from .downloads import ListDownloadMixin
from .links import query_without
from .pagination import ContentPaginator, in_order, page_of

MAX_PARAM_NOTES = 5


def reject_nul_bytes(request):
    """NUL bytes cannot be stored or compared by PostgreSQL; refuse them early."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise BadRequest(_("The address contains a NUL character, which is not allowed."))


def describe(obj, words=30):
    """A plain one-line description of an object for meta tags and cards."""
    for field in ("lead", "summary", "description"):
        text = getattr(obj, field, "")
        if text:
            break
    else:
        paragraphs = getattr(obj, "paragraphs", [])
        text = paragraphs[0] if paragraphs else ""
    return Truncator(" ".join(strip_tags(text).replace("\xa0", " ").split())).words(words)


class PublicPageMixin:
    """Shared by all public pages: NUL bytes refused early; title and description for <head>."""

    page_title = ""
    # The main navigation's entry for this page, marked as the current one.
    section = ""
    page_description = gettext_lazy(
        "INO Tomsk: the innovation territory of the Tomsk agglomeration, its news, projects, "
        "clusters, parks and stakeholders."
    )

    def dispatch(self, request, *args, **kwargs):
        reject_nul_bytes(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_meta(self):
        return {"title": self.page_title, "description": self.page_description, "image": None}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meta"] = self.get_page_meta()
        context.setdefault("is_preview", False)
        context.setdefault("section", self.section)
        return context


class FacetedListView(ListDownloadMixin, PublicPageMixin, TemplateView):
    """A paginated list of published rows with django-filter facets.

    The paginator gives the primary keys of a page (kept per content version); the page then
    loads just those rows with ``row_queryset()``. Invalid filter values are dropped with a
    visible note and a 400 status; parameters the page does not declare are ignored with a
    note.
    """

    model = None
    filterset_class = None
    title = ""
    paginate_by = settings.PORTAL_PAGE_SIZE
    page_kwarg = "page"

    def row_queryset(self):
        """The published rows as a row shows them (related rows joined or prefetched)."""
        return self.model.objects.published()

    def matching_rows(self):
        """The filtered rows in list order (a queryset, or a list of keys), read lazily; by
        name (or title) in the page's language where the model orders by one."""
        rows = self.filterset.qs
        ordering = localized_ordering(self.model)
        if ordering and not rows.query.order_by:  # a search's own order (by rank) is kept
            rows = rows.order_by(*ordering)
        return rows

    def known_count(self):
        """The number of matching rows, where something cheaper than counting them knows it."""
        return None

    def build_filterset(self):
        # The filters' own parameters, without empty values (an empty search box).
        data = QueryDict(mutable=True)
        for key in self.filterset_class.base_filters:
            values = [value for value in self.request.GET.getlist(key) if value.strip()]
            if values:
                data.setlist(key, values)
        return self.filterset_class(data)

    def search_text(self):
        return self.filterset.active.get("q", [""])[0]

    def ignored_parameters(self):
        known = set(self.filterset.filters) | {self.page_kwarg}
        unknown = [key for key in self.request.GET if key not in known]
        return [key[:40] for key in unknown[:MAX_PARAM_NOTES]]

    @cached_property
    def chips(self):
        """The applied filters, each with the URL that removes it."""
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)  # a narrower list starts on its first page
        return [
            {
                "name": str(self.filterset.filters[name].label),
                "label": label,
                "lang": lang,
                "remove_url": f"?{query_without(query, name, value)}",
            }
            for name, value, label, lang in self.filterset.active_choices()
        ]

    def get(self, request, *args, **kwargs):
        self.filterset = self.build_filterset()
        response = super().get(request, *args, **kwargs)
        if self.filterset.errors:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        paginator = ContentPaginator(
            self.matching_rows,
            self.paginate_by,
            name=self.filterset.cache_key,
            count_rows=self.known_count,
        )
        page = page_of(paginator, self.request.GET.get(self.page_kwarg) or 1)
        context = super().get_context_data(**kwargs)
        context.update(
            paginator=paginator,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            rows=in_order(self.row_queryset(), list(page)),
            filterset=self.filterset,
            facets=SimpleLazyObject(self.filterset.facets),
            active_filters=self.chips,
            filter_errors=[
                (str(self.filterset.filters[name].label), error)
                for name, errors in self.filterset.errors.items()
                for error in errors
            ],
            ignored_parameters=self.ignored_parameters(),
            query=self.search_text(),
            search_limit=None,
            page_title=self.title,
        )
        return context

    def get_page_meta(self):
        meta = super().get_page_meta()
        title = str(self.title)
        chips = [chip["label"] for chip in self.chips]
        if chips:
            title = f"{title}: {', '.join(chips)}"
        page = self.request.GET.get(self.page_kwarg)
        if page and page != "1":
            title = _("%(title)s, page %(page)s") % {"title": title, "page": page[:10]}
        meta["title"] = title
        return meta


class PublishedDetailView(PublicPageMixin, DetailView):
    """A detail page of published content; staff who may view or change it also see it as a
    draft, with a banner."""

    def may_preview(self):
        user = self.request.user
        opts = self.model._meta
        return user.is_staff and (
            user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
            or user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        )

    def get_queryset(self):
        manager = self.model.objects
        return manager.all() if self.may_preview() else manager.published()

    def is_public(self, obj):
        return obj.is_published

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.is_public(self.object)
        return context

    def get_page_meta(self):
        image = getattr(self.object, "image", None) or getattr(self.object, "logo", None)
        return {
            "title": str(self.object),
            "description": describe(self.object) or self.page_description,
            "image": image or None,
        }

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex"
        return response
