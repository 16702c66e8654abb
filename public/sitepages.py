"""The pages staff write (contacts, privacy, accessibility statement…): their public page, and
the links to them in every page's header and footer, with the programme's owner."""

from dataclasses import dataclass, field

from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject
from django.utils.text import Truncator

from portal.richtext import render_richtext, without_tags
from portal.translated import columns, text_language
from programme.models import Page

from .caching import versioned
from .lists import PublishedDetailView


@dataclass
class PageLink:
    url: str
    title: str
    # The language of the title where it is not the page's (a missing translation).
    lang: str | None = None


@dataclass
class SitePages:
    menu: list = field(default_factory=list)
    footer: list = field(default_factory=list)
    owner: PageLink | None = None


def _load():
    pages = (
        Page.objects.published()
        .exclude(placement=Page.Placement.NONE)
        .only(*columns(Page, ["title"]), "slug", "placement", "order")
    )
    result = SitePages()
    for page in pages:
        link = PageLink(page.get_absolute_url(), page.title, text_language(page, "title"))
        if page.placement == Page.Placement.OWNER:
            result.owner = link
        else:
            getattr(result, page.placement).append(link)
    return result


def current_site_pages():
    """The menu and footer pages and the owner, in the page's language: one query per content
    version, none on a page served from the cache."""
    try:
        return versioned("site-pages", [], _load)
    except DatabaseError:
        # The error pages render the footer too, even with the database down.
        return SitePages()


def site_pages(request):
    """Context processor: read only when the header or footer asks (never in the admin)."""
    return {"site_pages": SimpleLazyObject(current_site_pages)}


class PageDetailView(PublishedDetailView):
    model = Page
    template_name = "programme/page_detail.html"
    context_object_name = "site_page"

    def get_page_meta(self):
        meta = super().get_page_meta()
        text = without_tags(render_richtext(self.object.body))
        meta["description"] = Truncator(" ".join(text.split())).words(30) or self.page_description
        return meta
