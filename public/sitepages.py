"""The pages staff write (contacts, privacy, accessibility statement…): their public page, and
the links to them in every page's header and footer, with the programme's owner.

Also which sections of the site have something published: a section with nothing published
(no park, no roadmap action yet) leaves the menus, the home page and the sitemap, so that no
section looks abandoned; its address still answers with a page that says so, and the admin's
home page tells staff it is hidden and why. Both are read in one query per content version,
so a section returns by itself once something in it is published.
"""

from dataclasses import dataclass, field
from functools import cache

from django.db import DatabaseError, connection
from django.db.models import CharField, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from cms.richtext import render_richtext, without_tags
from cms.translated import columns, text_language
from events.models import Event
from news.models import Article
from portal.models import Park, Project, Stakeholder
from portal.publishing import public_condition, reads_clock
from programme.models import Document, Page, RoadmapAction

from .base import PublishedDetailView
from .caching import versioned
from .precompiled import ANY_TIME, Precompiled


@dataclass
class PageLink:
    url: str
    title: str
    # The language of the title where it is not the page's (a missing translation).
    lang: str | None = None


@dataclass(frozen=True)
class Section:
    """A section of the menus that lists entries: shown while one of them is published."""

    name: str  # the ``section`` of its views, and the key of ``SitePages.sections``
    label: str  # lazy
    model: type
    list_url_name: str
    # Only entries matching these lookups count (the map: those with a place).
    where: tuple = ()
    # Why it is hidden, for staff (templates/admin/index.html); lazy.
    reason: str = _("nothing published")


SECTIONS = [
    Section("news", _("News"), Article, "news:article-list"),
    Section("events", _("Events"), Event, "events:event-list"),
    Section("projects", _("Projects"), Project, "public:project-list"),
    Section("clusters", _("Clusters"), Cluster, "clusters:cluster-list"),
    Section("parks", _("Parks"), Park, "public:park-list"),
    Section("stakeholders", _("Stakeholders"), Stakeholder, "public:stakeholder-list"),
    Section("roadmap", _("Roadmap"), RoadmapAction, "programme:roadmap"),
    Section("documents", _("Documents"), Document, "programme:document-list"),
]
# The map (public/map.py) is shown while a park, stakeholder or event has a place.
PLACED = (("latitude__isnull", False), ("longitude__isnull", False))
SECTIONS += [
    Section(
        "map",
        _("Map"),
        model,
        "public:map",
        PLACED,
        _("no published park, stakeholder or event has a place"),
    )
    for model in (Park, Stakeholder, Event)
]


def _all_sections():
    return {section.name: True for section in SECTIONS}


@dataclass
class SitePages:
    menu: list = field(default_factory=list)
    footer: list = field(default_factory=list)
    owner: PageLink | None = None
    # Section name: whether it has anything published (templates: ``sections.parks``).
    sections: dict = field(default_factory=_all_sections)


def _probe(section, width):
    """A row ``(name, "", …, 0)`` when ``section`` has something published (at ``ANY_TIME``,
    where its rule reads the clock): a probe of one published key, shaped like the rows of the
    pages so that one UNION reads both.

    Where the database takes a LIMIT in each part of a UNION (PostgreSQL), the probe is one
    sliced queryset; elsewhere (SQLite) a subquery of a second one."""
    text = CharField()
    model = section.model
    where = [public_condition(model, at=ANY_TIME), *[Q(lookup) for lookup in section.where]]
    probe = model._default_manager.rewrite(False).filter(*where).order_by()
    sliced = connection.features.supports_slicing_ordering_in_compound
    if not sliced:
        one = probe.values("pk")[:1]
        probe = model._default_manager.rewrite(False).filter(pk__in=one).order_by()
    blanks = [Value("", output_field=text)] * width
    probe = probe.values_list(Value(section.name, output_field=text), *blanks, Value(0))
    return probe[:1] if sliced else probe


PAGE_COLUMNS = [*columns(Page, ["title"]), "slug", "placement"]


@cache
def _query():
    """The pages and the sections with something published, in one UNION, at the time
    ``ANY_TIME`` (the news' rule reads the clock).

    Building and compiling it cost about 8 ms of each first render after a change, more than
    the rest of the menus and footer, and only the time changes: it is built once per
    process."""
    # Not rewritten by modeltranslation, which would reorder the columns.
    pages = (
        Page.objects.rewrite(False)
        .published()
        .exclude(placement=Page.Placement.NONE)
        .order_by()
        .values_list(Value("", output_field=CharField()), *PAGE_COLUMNS, "order")
    )
    width = len(PAGE_COLUMNS)
    probes = [_probe(section, width) for section in SECTIONS]
    clocked = sum(1 for section in SECTIONS if reads_clock(section.model))
    return Precompiled(pages.union(*probes, all=True), {ANY_TIME: clocked})


def _load():
    result = SitePages(sections={section.name: False for section in SECTIONS})
    found = []
    for section_name, *values in _query().fetchall(timezone.now()):
        if section_name:
            result.sections[section_name] = True
        else:
            found.append(Page(**dict(zip([*PAGE_COLUMNS, "order"], values, strict=True))))
    # The menu's order (Page.Meta.ordering); a compound query cannot sort on SQLite.
    found.sort(key=lambda page: (page.order, page.title_en or page.title_ru or ""))
    for page in found:
        link = PageLink(page.get_absolute_url(), page.title, text_language(page, "title"))
        if page.placement == Page.Placement.OWNER:
            result.owner = link
        else:
            getattr(result, page.placement).append(link)
    return result


def current_site_pages():
    """The menu and footer pages, the owner, in the page's language, and the sections with
    something published: one query per content version, none on a page served from the
    cache."""
    try:
        # Named anew with the sections: copies kept before them, which lack them, are never read.
        return versioned("site-pages-and-sections", [], _load)
    except DatabaseError:
        # The error pages render the footer too, even with the database down.
        return SitePages()


def hidden_sections(user):
    """The sections left out of the menus for want of anything published, for staff: each
    with its label, why, and, where ``user`` may see it in the admin, the address of its list
    there. Read afresh (one query), not from the content version's copy: staff see at once
    what they just published."""
    try:
        shown = _load().sections
    except DatabaseError:
        return []
    hidden = []
    for section in SECTIONS:
        if shown.get(section.name, True) or section.name in {h["section"].name for h in hidden}:
            continue
        opts = section.model._meta
        admin_url = ""
        if user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        ):
            admin_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        hidden.append(
            {
                "section": section,
                "label": section.label,
                "reason": section.reason,
                "admin_url": admin_url,
            }
        )
    return hidden


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
