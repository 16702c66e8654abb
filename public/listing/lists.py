"""The filters of every public list, in one place: one definition serves the HTML list, its
feed or calendar, its download, the statistics and the API."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.models import Event
from news.models import Article
from portal.models import Park, Project, Stakeholder
from programme.models import Document, RoadmapAction

from .. import textsearch
from .filters import (
    ChoiceFacetFilter,
    InLanguageFilter,
    LargeSlugFilter,
    ListFilterSet,
    OptionFilter,
    SearchFilter,
    YearFilter,
)


def cluster_filter():
    return OptionFilter(label=_("Cluster"), kind="cluster", relation="clusters")


class ArticleFilterSet(ListFilterSet):
    """/news/, its feeds and /api/v1/articles/."""

    q = SearchFilter(search=textsearch.search_articles, ranked=True)
    cluster = cluster_filter()
    direction = OptionFilter(label=_("Direction"), kind="direction", relation="directions")
    project = LargeSlugFilter(label=_("Project"), model=Project, relation="projects")
    stakeholder = LargeSlugFilter(
        label=_("Stakeholder"), model=Stakeholder, relation="stakeholders"
    )
    park = LargeSlugFilter(label=_("Park"), model=Park, relation="parks")
    year = YearFilter("published_at", label=_("Year"))

    translated = InLanguageFilter()

    class Meta:
        model = Article
        fields = []


class ProjectFilterSet(ListFilterSet):
    """/projects/, /statistics/ and /api/v1/projects/."""

    q = SearchFilter(search=textsearch.match_words)
    cluster = cluster_filter()
    direction = OptionFilter(label=_("Direction"), kind="direction", relation="direction")
    park = LargeSlugFilter(label=_("Park"), model=Park, relation="parks")
    stakeholder = LargeSlugFilter(
        label=_("Stakeholder"), model=Stakeholder, relation="stakeholders"
    )
    status = ChoiceFacetFilter(label=_("Status"), choices=Project.Status.choices)

    translated = InLanguageFilter()

    class Meta:
        model = Project
        fields = []


class StakeholderFilterSet(ListFilterSet):
    q = SearchFilter(search=textsearch.match_words)
    kind = ChoiceFacetFilter(
        label=pgettext_lazy("stakeholder", "Kind"), choices=Stakeholder.Kind.choices
    )
    cluster = cluster_filter()

    translated = InLanguageFilter()

    class Meta:
        model = Stakeholder
        fields = []


class ParkFilterSet(ListFilterSet):
    type = OptionFilter(label=_("Type"), kind="type", relation="park_type")
    cluster = cluster_filter()

    translated = InLanguageFilter()

    class Meta:
        model = Park
        fields = []


class EventFilterSet(ListFilterSet):
    """/events/, its calendar feed and /api/v1/events/: ``year`` is the year an event starts
    (site time)."""

    q = SearchFilter(search=textsearch.match_words)
    cluster = cluster_filter()
    project = LargeSlugFilter(label=_("Project"), model=Project, relation="projects")
    stakeholder = LargeSlugFilter(
        label=_("Stakeholder"), model=Stakeholder, relation="stakeholders"
    )
    year = YearFilter("start", label=_("Year"))

    class Meta:
        model = Event
        fields = []


class RoadmapActionFilterSet(ListFilterSet):
    direction = OptionFilter(label=_("Direction"), kind="direction", relation="direction")
    stakeholder = LargeSlugFilter(
        label=_("Responsible stakeholder"), model=Stakeholder, relation="stakeholders"
    )
    status = ChoiceFacetFilter(label=_("Status"), choices=RoadmapAction.Status.choices)
    year = YearFilter("due_date", label=_("Due year"))

    class Meta:
        model = RoadmapAction
        fields = []


class DocumentFilterSet(ListFilterSet):
    kind = ChoiceFacetFilter(label=_("Kind"), choices=Document.Kind.choices)
    language = ChoiceFacetFilter(label=_("Language"), choices=Document.Language.choices)
    cluster = cluster_filter()
    project = LargeSlugFilter(label=_("Project"), model=Project, relation="projects")
    year = YearFilter("date", label=_("Year"))

    class Meta:
        model = Document
        fields = []
