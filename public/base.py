"""What every public page shares: the page mixin, the refusal of NUL bytes, and the detail
page of published content (list pages: ``public.listing.views``)."""

from django.core.exceptions import BadRequest
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView


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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_public
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
