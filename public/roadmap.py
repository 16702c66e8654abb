"""The roadmap: the programme's actions with their filters, and how they stand by status."""

from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.translated import text_language
from portal.models import KeyFact
from portal.publishing import published_related
from programme.models import RoadmapAction

from .listing.lists import RoadmapActionFilterSet
from .listing.views import ListingView


def progress_by_status(facets):
    """[(status option, share in per cent)] of the actions within the other filters, from the
    status facet's counts (no query of its own)."""
    options = next((facet.options for facet in facets if facet.name == "status"), [])
    total = sum(option.count for option in options)
    return {
        "total": total,
        "rows": [(option, round(100 * option.count / total) if total else 0) for option in options],
    }


def roadmap_key_fact():
    """The key figure that states how many actions the roadmap has, as the seeds word it."""
    return KeyFact.objects.filter(text_en__icontains="roadmap").order_by("order").first()


class RoadmapListView(ListingView):
    filterset_class = RoadmapActionFilterSet
    template_name = "programme/roadmap.html"
    section = "roadmap"
    title = gettext_lazy("Roadmap")
    page_description = gettext_lazy(
        "The actions of the INO Tomsk roadmap: who is responsible, when each is due and how it "
        "stands."
    )

    def row_queryset(self):
        return (
            RoadmapAction.objects.published()
            .select_related("direction")
            .prefetch_related(published_related(RoadmapAction, "stakeholders"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["progress"] = progress_by_status(context["facets"])
        if not context["rows"] and not self.query.filters:
            context["empty_message"] = self.empty_message()
        return context

    @staticmethod
    def empty_message():
        fact = roadmap_key_fact()
        if fact is None:
            return _("No roadmap actions have been published yet.")
        language = text_language(fact, "text")
        quote = format_html('<span lang="{}">{}</span>', language, fact.text.strip())
        message = _(
            "The programme states: “%(text)s” The actions themselves have not been published "
            "here yet."
        )
        # The quote keeps its own language where it has no translation into the page's.
        return format_html(
            escape(message).replace("%(text)s", "{}"),
            quote if language else fact.text.strip(),
        )
