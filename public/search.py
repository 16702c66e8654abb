"""The site search: one search over all published content, grouped by section."""

from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from clusters.models import Cluster
from events.models import Event
from news.models import Article
from portal.models import Park, Project, Stakeholder

from . import textsearch
from .base import PublicPageMixin
from .caching import versioned
from .listing import in_order

SEARCH_GROUP_LIMIT = 10


class SearchView(PublicPageMixin, TemplateView):
    """What a search finds holds until content changes, so the keys of each group's results
    are kept for the content version (ranking is the costly part)."""

    template_name = "search.html"
    section = "search"
    page_title = gettext_lazy("Search")
    # (label, list page, model): the news first, then the directory.
    result_groups = [
        (gettext_lazy("News"), "news:article-list", Article),
        (gettext_lazy("Projects"), "public:project-list", Project),
        (gettext_lazy("Clusters"), "clusters:cluster-list", Cluster),
        (gettext_lazy("Stakeholders"), "public:stakeholder-list", Stakeholder),
        (gettext_lazy("Parks"), "public:park-list", Park),
        (gettext_lazy("Events"), "events:event-list", Event),
    ]

    def get_context_data(self, **kwargs):
        q = textsearch.normalise_query(self.request.GET.get("q", ""))
        if len(q) > textsearch.MAX_QUERY_LENGTH:
            raise BadRequest(
                _("The search text is too long (at most %(limit)d characters).")
                % {"limit": textsearch.MAX_QUERY_LENGTH}
            )
        groups, similar = [], False
        if q:
            found = versioned("search", [q], lambda: self.find(q))
            similar = found["similar_titles_only"]
            for (label, list_url, model), keys in zip(
                self.result_groups, found["keys"], strict=True
            ):
                shown = keys[:SEARCH_GROUP_LIMIT]
                more = len(keys) > SEARCH_GROUP_LIMIT
                groups.append(
                    {
                        "label": label,
                        "results": in_order(self.results(model, q, similar), shown)
                        if shown
                        else [],
                        # The list page of the group, searched for the same text.
                        "more_url": f"{reverse(list_url)}?{urlencode({'q': q})}" if more else "",
                    }
                )
        return super().get_context_data(
            query=q,
            groups=groups,
            total=sum(len(group["results"]) for group in groups),
            similar_titles_only=similar,
            **kwargs,
        )

    def find(self, q):
        """The keys of the best results of each section, one more than shown."""
        wanted = SEARCH_GROUP_LIMIT + 1
        articles = Article.objects.published().for_cards()
        news = list(textsearch.search_articles(articles, q).values_list("pk", flat=True)[:wanted])
        similar = False
        if not news:
            misspelt = textsearch.similar_titles(articles, q)
            news = list(misspelt.values_list("pk", flat=True)[:wanted])
            similar = bool(news)
        keys = [news]
        for _label, _list_url, model in self.result_groups[1:]:
            matches = textsearch.match_words(model.objects.published(), q)
            keys.append(list(matches.values_list("pk", flat=True)[:wanted]))
        return {"keys": keys, "similar_titles_only": similar}

    @staticmethod
    def results(model, q, similar):
        if model is Article:
            rows = Article.objects.published().for_cards()
            # Titles that only resemble the words have no matches to highlight.
            return rows if similar else textsearch.with_snippets(rows, q)
        return model.objects.published()
