"""Public pages of the portal: home, about, lists with facets, details, search, health."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.db.models import Exists, OuterRef, Prefetch
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, TemplateView

from clusters.models import Cluster, ClusterMembership
from news.models import Article
from portal.models import (
    Direction,
    KeyFact,
    Park,
    ParkType,
    Project,
    ProjectStakeholder,
    Stakeholder,
)

from . import filters, search
from .cache import DATA_CACHE_SECONDS, current_version, versioned
from .fragments import rendered_rows
from .links import query_without
from .pagination import ContentPaginator

DETAIL_NEWS_LIMIT = 5
RELATED_ARTICLES = 3
SEARCH_GROUP_LIMIT = 10
MAX_PARAM_NOTES = 5


def reject_nul_bytes(request):
    """NUL bytes cannot be stored or compared by PostgreSQL; refuse them early."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise BadRequest(_("The address contains a NUL character, which is not allowed."))


def published_articles():
    return Article.objects.published().only(
        "title",
        "slug",
        "lead",
        "body",
        "published_at",
        "image",
        "image_alt",
        "image_width",
        "image_height",
    )


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
        # Named for every page: a name a template misses costs an exception each time.
        context.setdefault("is_preview", False)
        context.setdefault("section", self.section)
        return context


class RenderedRowsMixin:
    """A paginated list whose rows are rendered once per content version.

    The paginator gives the primary keys of a page; ``rows`` in the context holds the HTML of
    each row, from ``row_template`` with the object as ``row_name`` (inotomsk.fragments).
    """

    paginate_by = settings.PORTAL_PAGE_SIZE
    paginator_class = ContentPaginator
    row_template = ""
    row_name = ""

    def base_queryset(self):
        """The published rows as a row shows them (related rows joined or prefetched)."""
        return self.model.objects.published()

    def row_variant(self):
        """What else a row depends on, such as the search text its snippet highlights."""
        return ""

    def load_rows(self, keys):
        return self.base_queryset().filter(pk__in=keys)

    def count_key(self):
        """Names the listed rows, for the count kept per content version."""
        return self.model._meta.label

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(queryset, per_page, count_key=self.count_key(), **kwargs)

    # The page shows ``rows``. Django would name the list and infer more template names
    # from its model, which would build a lazily given queryset for nothing.
    def get_context_object_name(self, object_list):
        return None

    def get_template_names(self):
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = rendered_rows(
            self.model,
            context["object_list"],
            self.row_template,
            self.row_name,
            self.load_rows,
            variant=self.row_variant(),
        )
        return context


class FacetedListView(PublicPageMixin, RenderedRowsMixin, ListView):
    """A paginated list with django-filter facets.

    Invalid filter values are dropped with a visible note and a 400 status; parameters the
    page does not declare are ignored with a note.
    """

    filterset_class = None
    title = ""

    def get_queryset(self):
        # The filters' own parameters, without empty values (an empty search box).
        data = QueryDict(mutable=True)
        for key in self.filterset_class.base_filters:
            values = [value for value in self.request.GET.getlist(key) if value.strip()]
            if values:
                data.setlist(key, values)
        self.filterset = self.filterset_class(data)
        # Built only when the kept count or page keys are missing.
        return SimpleLazyObject(lambda: self.filterset.qs)

    def count_key(self):
        return self.filterset.cache_key

    def search_text(self):
        return self.filterset.active.get("q", [""])[0]

    def ignored_parameters(self):
        known = set(self.filterset.filters) | {self.page_kwarg}
        unknown = [key for key in self.request.GET if key not in known]
        return [key[:40] for key in unknown[:MAX_PARAM_NOTES]]

    @cached_property
    def facets(self):
        # Read only when the kept filter panel is missing or a chip needs a label.
        return self.filterset.facets()

    @cached_property
    def chips(self):
        """The applied filters, each with the URL that removes it."""
        chips = []
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)  # a narrower list starts on its first page
        for name, value, label in self.filterset.active_choices():
            chips.append(
                {
                    "name": str(self.filterset.filters[name].label),
                    "label": label,
                    "remove_url": f"?{query_without(query, name, value)}",
                }
            )
        return chips

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filterset=self.filterset,
            facets=SimpleLazyObject(lambda: self.facets),
            active_filters=self.chips,
            filter_errors=[
                (str(self.filterset.filters[name].label), error)
                for name, errors in self.filterset.errors.items()
                for error in errors
            ],
            ignored_parameters=self.ignored_parameters(),
            # The filter panel is the costliest part to render and is the same on every page
            # of a filter combination, so its HTML is kept for the content version too.
            facets_cache={
                "seconds": DATA_CACHE_SECONDS,
                "key": f"{current_version()}|{self.filterset.cache_key}|{bool(self.request.GET)}",
            },
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

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.errors:
            response.status_code = 400
        return response


class PublishedDetailView(PublicPageMixin, DetailView):
    """A detail page of published content; staff also see drafts, with a banner."""

    def get_queryset(self):
        manager = self.model.objects
        if self.request.user.is_staff:
            return manager.all()
        return manager.published()

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

    def news_about(self, relation):
        """The latest published articles linked to this object."""
        return list(published_articles().filter(**{relation: self.object})[: DETAIL_NEWS_LIMIT + 1])


class HomeView(PublicPageMixin, TemplateView):
    template_name = "portal/home.html"
    page_title = gettext_lazy("INO Tomsk: innovation territory of the Tomsk agglomeration")

    def get_context_data(self, **kwargs):
        facts = list(KeyFact.objects.all())
        return super().get_context_data(
            goal=facts[0] if facts else None,
            key_facts=facts[1:],
            directions=Direction.objects.all(),
            latest_news=rendered_rows(
                Article,
                Article.objects.published().values_list("pk", flat=True)[:4],
                "includes/article_card.html",
                "article",
                lambda keys: published_articles().filter(pk__in=keys),
            ),
            clusters=Cluster.objects.published(),
            featured_projects=rendered_rows(
                Project,
                Project.objects.published()
                .filter(is_featured=True)
                .values_list("pk", flat=True)[:6],
                "includes/project_card.html",
                "project",
                lambda keys: (
                    Project.objects.published().select_related("direction").filter(pk__in=keys)
                ),
            ),
            **kwargs,
        )


class AboutView(PublicPageMixin, TemplateView):
    template_name = "portal/about.html"
    section = "about"
    page_title = gettext_lazy("About the programme")
    page_description = gettext_lazy(
        "The goal, strategic directions, key figures and park types of the INO Tomsk programme."
    )

    def get_context_data(self, **kwargs):
        facts = list(KeyFact.objects.all())
        return super().get_context_data(
            goal=facts[0] if facts else None,
            key_facts=facts[1:],
            directions=Direction.objects.all(),
            park_types=ParkType.objects.all(),
            **kwargs,
        )


class ArticleListView(FacetedListView):
    model = Article
    filterset_class = filters.ArticleFilterSet
    template_name = "news/article_list.html"
    row_template = "includes/article_card.html"
    row_name = "article"
    section = "news"
    title = gettext_lazy("News")

    def base_queryset(self):
        return published_articles()

    def get_queryset(self):
        rows = super().get_queryset()
        if not self.search_text():
            return rows
        # Ranking the matches is the costly part of a search, and its order holds until
        # content changes: the ranked keys are kept for the content version.
        return versioned(
            f"matches|{self.filterset.cache_key}", lambda: list(rows.values_list("pk", flat=True))
        )

    def row_variant(self):
        return self.search_text()

    def load_rows(self, keys):
        return search.with_snippets(super().load_rows(keys), self.search_text())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["query"] and search.is_capped(context["paginator"].count):
            context["search_limit"] = search.SEARCH_CANDIDATES
        # The feeds take the same filters: these news, as a feed.
        query = query_without(self.request.GET, self.page_kwarg)
        context["filtered_feeds"] = bool(query)
        suffix = f"?{query}" if query else ""
        context["feed_urls"] = {
            "rss": reverse("news:feed-rss") + suffix,
            "atom": reverse("news:feed-atom") + suffix,
        }
        return context


class ArticleDetailView(PublishedDetailView):
    model = Article
    template_name = "news/article_detail.html"

    def get_queryset(self):
        published = {
            "clusters": Cluster.objects.published(),
            "projects": Project.objects.published(),
            "stakeholders": Stakeholder.objects.published(),
            "parks": Park.objects.published(),
            "directions": Direction.objects.all(),
        }
        return (
            super()
            .get_queryset()
            .prefetch_related(*(Prefetch(name, queryset=qs) for name, qs in published.items()))
        )

    def is_public(self, obj):
        return obj.is_public

    def related_articles(self):
        """The newest articles sharing a cluster, project, stakeholder or direction."""
        article = self.object
        others = published_articles().exclude(pk=article.pk)
        sharing_per_relation = []
        for relation in ("clusters", "projects", "stakeholders", "directions"):
            mine = [obj.pk for obj in getattr(article, relation).all()]  # prefetched
            if mine:
                # One semi-join per relation walks the newest articles with index lookups;
                # an OR of the four would read whole link tables.
                through = getattr(Article, relation).through
                column = Article._meta.get_field(relation).m2m_reverse_name()
                shares = through.objects.filter(
                    article_id=OuterRef("pk"), **{f"{column}__in": mine}
                )
                sharing_per_relation.append(others.filter(Exists(shares)))
        if not sharing_per_relation:
            return []
        if len(sharing_per_relation) == 1:
            # A UNION of one part is the part itself: no union needed.
            return list(sharing_per_relation[0][:RELATED_ARTICLES])
        if connection.features.supports_slicing_ordering_in_compound:
            parts = [sharing[:RELATED_ARTICLES] for sharing in sharing_per_relation]
        else:  # SQLite: the parts of a UNION may not be ordered or sliced
            parts = [sharing.order_by() for sharing in sharing_per_relation]
        first, *rest = parts
        # UNION drops the duplicates; the ordering of the articles applies to the whole.
        return list(first.union(*rest).order_by("-published_at", "-id")[:RELATED_ARTICLES])

    def get_context_data(self, **kwargs):
        return super().get_context_data(related_articles=self.related_articles(), **kwargs)


class ProjectListView(FacetedListView):
    model = Project
    filterset_class = filters.ProjectFilterSet
    template_name = "portal/project_list.html"
    row_template = "includes/project_card.html"
    row_name = "project"
    section = "projects"
    title = gettext_lazy("Projects")

    def base_queryset(self):
        return Project.objects.published().select_related("direction")


class ProjectDetailView(PublishedDetailView):
    model = Project
    template_name = "portal/project_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("direction")
            .prefetch_related(
                Prefetch("clusters", queryset=Cluster.objects.published()),
                Prefetch("parks", queryset=Park.objects.published().select_related("park_type")),
                Prefetch(
                    "roles",
                    queryset=ProjectStakeholder.objects.filter(
                        stakeholder__is_published=True
                    ).select_related("stakeholder"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(news=self.news_about("projects"), **kwargs)


class StakeholderListView(FacetedListView):
    model = Stakeholder
    filterset_class = filters.StakeholderFilterSet
    template_name = "portal/stakeholder_list.html"
    row_template = "includes/stakeholder_row.html"
    row_name = "stakeholder"
    section = "stakeholders"
    title = gettext_lazy("Stakeholders")


class StakeholderDetailView(PublishedDetailView):
    model = Stakeholder
    template_name = "portal/stakeholder_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "cluster_memberships",
                    queryset=ClusterMembership.objects.filter(
                        cluster__is_published=True
                    ).select_related("cluster"),
                ),
                Prefetch(
                    "project_roles",
                    queryset=ProjectStakeholder.objects.filter(
                        project__is_published=True
                    ).select_related("project"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(news=self.news_about("stakeholders"), **kwargs)


class ParkListView(FacetedListView):
    model = Park
    filterset_class = filters.ParkFilterSet
    template_name = "portal/park_list.html"
    row_template = "includes/park_card.html"
    row_name = "park"
    section = "parks"
    title = gettext_lazy("Parks")

    def base_queryset(self):
        return Park.objects.published().select_related("park_type")


class ParkDetailView(PublishedDetailView):
    model = Park
    template_name = "portal/park_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("park_type")
            .prefetch_related(
                Prefetch("clusters", queryset=Cluster.objects.published()),
                Prefetch("projects", queryset=Project.objects.published()),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(news=self.news_about("parks"), **kwargs)


class ClusterListView(PublicPageMixin, RenderedRowsMixin, ListView):
    model = Cluster
    template_name = "clusters/cluster_list.html"
    section = "clusters"
    row_template = "includes/cluster_card.html"
    row_name = "cluster"
    page_title = gettext_lazy("Clusters")
    page_description = gettext_lazy("The innovation territorial clusters of INO Tomsk.")

    def base_queryset(self):
        return Cluster.objects.published().prefetch_related("directions")

    def get_queryset(self):
        return Cluster.objects.published()


class ClusterDetailView(PublishedDetailView):
    model = Cluster
    template_name = "clusters/cluster_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "directions",
                Prefetch("projects", queryset=Project.objects.published()),
                Prefetch("parks", queryset=Park.objects.published().select_related("park_type")),
                Prefetch(
                    "memberships",
                    queryset=ClusterMembership.objects.filter(
                        stakeholder__is_published=True
                    ).select_related("stakeholder"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(news=self.news_about("clusters"), **kwargs)


class SearchView(PublicPageMixin, TemplateView):
    """One search over all published content, grouped by type.

    What a search finds holds until content changes, so the keys of each group's results are
    kept for the content version (ranking is the costly part), and each result is a row
    rendered once per content version, like the rows of the lists.
    """

    template_name = "search.html"
    section = "search"
    page_title = gettext_lazy("Search")
    row_template = "includes/search_result.html"
    # (label, list page, model): the news first, then the directory.
    result_groups = [
        (gettext_lazy("News"), "news:article-list", Article),
        (gettext_lazy("Projects"), "portal:project-list", Project),
        (gettext_lazy("Clusters"), "clusters:cluster-list", Cluster),
        (gettext_lazy("Stakeholders"), "portal:stakeholder-list", Stakeholder),
        (gettext_lazy("Parks"), "portal:park-list", Park),
    ]

    def get_context_data(self, **kwargs):
        q = search.normalise_query(self.request.GET.get("q", ""))
        if len(q) > search.MAX_QUERY_LENGTH:
            raise BadRequest(
                _("The search text is too long (at most %(limit)d characters).")
                % {"limit": search.MAX_QUERY_LENGTH}
            )
        groups, similar = [], False
        if q:
            found = versioned(f"search|{q}", lambda: self.find(q))
            similar = found["similar_titles_only"]
            for (label, list_url, model), keys in zip(
                self.result_groups, found["keys"], strict=True
            ):
                rows = rendered_rows(
                    model,
                    keys[:SEARCH_GROUP_LIMIT],
                    self.row_template,
                    "result",
                    lambda missing, model=model: self.load(model, missing, q, similar),
                    variant=f"{q}|{similar}",
                )
                more = len(keys) > SEARCH_GROUP_LIMIT
                groups.append(
                    {
                        "label": label,
                        "results": keys[:SEARCH_GROUP_LIMIT],
                        "rows": rows,
                        # The list page of the group, searched for the same text.
                        "more_url": f"{reverse(list_url)}?{urlencode({'q': q})}" if more else "",
                    }
                )
        return super().get_context_data(
            query=q,
            groups=groups,
            total=sum(len(group["rows"]) for group in groups),
            similar_titles_only=similar,
            **kwargs,
        )

    def find(self, q):
        """The keys of the best results of each section, one more than shown."""
        wanted = SEARCH_GROUP_LIMIT + 1
        articles = search.search_articles(published_articles(), q)
        news = list(articles.values_list("pk", flat=True)[:wanted])
        similar = False
        if not news:
            misspelt = search.similar_titles(published_articles(), q)
            news = list(misspelt.values_list("pk", flat=True)[:wanted])
            similar = bool(news)
        keys = [news]
        for _label, _list_url, model in self.result_groups[1:]:
            matches = search.match_words(model.objects.published(), q)
            keys.append(list(matches.values_list("pk", flat=True)[:wanted]))
        return {"keys": keys, "similar_titles_only": similar}

    @staticmethod
    def load(model, keys, q, similar):
        if model is Article:
            rows = published_articles().filter(pk__in=keys)
            # Titles that only resemble the words have no matches to highlight.
            return rows if similar else search.with_snippets(rows, q)
        return model.objects.published().filter(pk__in=keys)


def healthz(request):
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


def bad_request(request, exception):
    # Only our own refusals explain themselves; Django's (a disallowed Host, say) stay terse.
    message = exception.args[0] if isinstance(exception, BadRequest) and exception.args else ""
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request, exception):
    message = exception.args[0] if exception and exception.args else ""
    if not isinstance(message, str):
        message = ""
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)
