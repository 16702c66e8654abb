"""Search over published content; the same tests pass on SQLite and PostgreSQL."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation

from news.models import Article
from news.search import article_search_vector
from portal.models import Park, Project, Stakeholder
from public.textsearch import SEARCH_CANDIDATES, match_words, similar_titles

from . import factories
from .pages import listed

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def found(response, label):
    """The objects one group of /search/ shows, best first."""
    return list(next(g["results"] for g in response.context["groups"] if g["label"] == label))


def test_search_groups_results_by_type(seeded, client):
    response = client.get("/search/", {"q": "medical"})
    assert response.status_code == 200
    news = [a.slug for a in found(response, "News")]
    assert "federal-agency-of-scientific-organizations-ino-tomsk-project-has-prompted" in news
    projects = [p.name for p in found(response, "Projects")]
    assert "National Research Medical Center" in projects
    assert [c.name for c in found(response, "Clusters")] == [
        "Pharmaceutical cluster and cluster of medical equipment and IT"
    ]
    content = response.content.decode()
    assert content.count("<h2") >= 3


def test_no_break_spaces_count_as_spaces(seeded, client):
    # The title is stored as "Ministry of\xa0Economic Development of\xa0Russia ...".
    response = client.get("/search/", {"q": "Ministry of Economic Development of Russia"})
    slugs = [a.slug for a in found(response, "News")]
    assert any(slug.startswith("ministry-of-economic-development") for slug in slugs)
    listed = client.get("/news/", {"q": "technology parks"})
    assert listed.context["paginator"].count >= 1


def test_search_sees_only_published(seeded, client):
    factories.article(title="Secret plan draft", status=Article.Status.DRAFT)
    factories.project(name="Secret hidden project", is_published=False)
    response = client.get("/search/", {"q": "secret"})
    assert response.context["total"] == 0
    assert "Nothing found" in response.content.decode()


def test_title_matches_rank_above_body_matches(db, client):
    body_only = factories.article(title="Weekly digest", body="Mentions photonics once.")
    titled = factories.article(title="Photonics centre opens", body="A new centre.")
    response = client.get("/news/", {"q": "photonics"})
    found = listed(response)
    assert set(found) == {body_only, titled}
    if connection.vendor == "postgresql":
        assert found[0] == titled


def test_empty_and_operator_only_queries(seeded, client):
    assert client.get("/search/").status_code == 200
    for q in ["-", '"', "OR", "!!!", "a & b | c"]:
        assert client.get("/search/", {"q": q}).status_code == 200, q


@on_postgres
def test_websearch_syntax_and_highlighted_snippets(seeded, client):
    response = client.get("/search/", {"q": '"translational medicine" -Skolkovo'})
    results = found(response, "News")
    assert [a.slug for a in results] == [
        "the-translational-medicine-development-project-of-the-tomsk-region-named-the"
    ]
    assert "<mark>translational</mark>" in response.content.decode().lower()


@on_postgres
def test_misspelling_falls_back_to_similar_titles(seeded, client):
    response = client.get("/search/", {"q": "Univrsity Cties"})
    assert response.context["similar_titles_only"]
    slugs = [a.slug for a in found(response, "News")]
    assert "ii-forum-of-university-cities-to-take-place-in-tomsk" in slugs


@on_postgres
@pytest.mark.parametrize(
    "build,index",
    [
        (
            lambda: Article.objects.filter(
                search_vector=SearchQuery("medical", search_type="websearch", config="english")
            ),
            "news_article_search_vector",
        ),
        (lambda: match_words(Project.objects.all(), "medical"), "portal_project_text_trgm_en"),
        (
            # A Russian page searches the texts as it shows them, with their own index.
            lambda: translation.override("ru")(match_words)(Project.objects.all(), "центр"),
            "portal_project_text_trgm_ru",
        ),
        (
            lambda: match_words(Stakeholder.objects.all(), "Томск"),
            "portal_stakeholder_text_trgm_en",
        ),
        (lambda: match_words(Park.objects.all(), "technopark"), "portal_park_text_trgm_en"),
        (
            # As the code asks it: on the untranslated title column, which the index covers.
            lambda: similar_titles(Article.objects.all(), "Tomks"),
            "news_article_title_trgm",
        ),
    ],
)
def test_search_can_use_its_indexes(seeded, build, index):
    # The seeded table is tiny, so plain scans are switched off to see which index fits.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            plan = build().explain()
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
    assert index in plan


@on_postgres
def test_the_stored_vector_follows_every_write(seeded):
    def stored_matches_expression():
        # As text: a vector compared with a vector would be read as a text search.
        vectors = Article.objects.annotate(
            stored=Cast("search_vector", TextField()),
            expected=Cast(article_search_vector(), TextField()),
        )
        return vectors.count() > 0 and not vectors.exclude(stored=F("expected")).exists()

    assert stored_matches_expression()  # the seed fixtures, loaded through the trigger
    article = factories.article(title="Quantum\xa0sensors", body="Body.")
    Article.objects.bulk_create([Article(title="Bulk", slug="bulk", body="Permafrost notes")])
    assert stored_matches_expression()

    def found(word):
        query = SearchQuery(word, search_type="websearch", config="english")
        return set(Article.objects.filter(search_vector=query).values_list("slug", flat=True))

    assert found("quantum") == {article.slug}
    assert found("permafrost") == {"bulk"}
    Article.objects.filter(slug="bulk").update(body="Taiga notes")
    article.title = "Graphene"
    article.save()
    assert found("permafrost") == found("quantum") == set()
    assert found("taiga") == {"bulk"} and found("graphene") == {article.slug}
    assert stored_matches_expression()


@on_postgres
def test_only_the_newest_matches_are_ranked(client):
    old = timezone.now() - timedelta(days=400)
    # The best match by rank is older than the candidates, so it is left out.
    best = factories.article(title="Tundra tundra", lead="Tundra", published_at=old)
    newer = [
        factories.article(
            title=f"Note {n}", body="A word on tundra.", published_at=old + timedelta(days=n)
        )
        for n in range(1, 4)
    ]
    with mock.patch("public.textsearch.SEARCH_CANDIDATES", 3):
        response = client.get("/news/", {"q": "tundra"})
    assert response.status_code == 200
    assert response.context["paginator"].count == 3
    assert best not in listed(response)
    assert SEARCH_CANDIDATES >= 100
    assert {a.pk for a in listed(response)} == {a.pk for a in newer}
    assert "Only the 3 newest matches are shown" in response.content.decode()
    # The newest matches are taken within the other filters, not before them.
    cluster = factories.cluster(slug="tundra-cluster")
    best.clusters.add(cluster)
    with mock.patch("public.textsearch.SEARCH_CANDIDATES", 3):
        response = client.get("/news/", {"q": "tundra", "cluster": "tundra-cluster"})
    assert listed(response) == [best]
    cache.clear()  # the count is kept for the content version, which the patch does not end
    with mock.patch("public.textsearch.SEARCH_CANDIDATES", 5):
        response = client.get("/news/", {"q": "tundra"})
    assert response.context["paginator"].count == 4
    assert "newest matches are shown" not in response.content.decode()


def test_the_text_indexes_match_the_searched_expression():
    """The migrations' frozen trigram indexes are exactly what the search compiles today, so
    the planner can use them (a change to the searched text needs a new migration)."""
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    from portal.search import create_trigram_index, trigram_index_name

    def definition(name):
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
            row = cursor.fetchone()
        assert row, f"index {name} is missing"
        return row[0].replace(name, "INDEX")

    for model in (Project, Stakeholder, Park):
        for language in ("en", "ru"):
            installed = trigram_index_name(model, language)
            with (
                mock.patch(
                    "portal.search.trigram_index_name",
                    lambda *args, name=installed: f"{name}_today",
                ),
                connection.schema_editor() as editor,
            ):
                create_trigram_index(model, model.text_search_fields, editor, language)
            assert definition(installed) == definition(f"{installed}_today"), installed


def test_word_search_ignores_case_and_takes_wildcards_literally():
    factories.stakeholder(name="Томский политехнический университет", slug="tpu")
    factories.stakeholder(name="Owned 100% by_the region", slug="pct")
    factories.stakeholder(name="Owned by the city", slug="city")

    def found(q):
        return {s.slug for s in match_words(Stakeholder.objects.all(), q)}

    assert found("политехнический университет") == {"tpu"}
    assert found("OWNED") == {"pct", "city"}
    assert found("%") == found("by_the") == {"pct"}
    assert found("100_") == found("byxthe") == set()
    if connection.vendor == "postgresql":  # SQLite folds the case of ASCII letters only
        assert found("ТОМСКИЙ Университет") == {"tpu"}


def test_search_results_follow_every_change(db, client):
    project = factories.project(name="Photonics laboratory")
    article = factories.article(title="Photonics week", body="Lasers and light.")

    def shown():
        return client.get("/search/", {"q": "photonics"}).content.decode()

    assert "Photonics laboratory" in shown() and "Photonics week" in shown()
    project.name = "Photonics centre"
    project.save()
    article.title = "Photonics month"
    article.save()
    page = shown()
    assert "Photonics centre" in page and "Photonics month" in page
    assert "laboratory" not in page and "week" not in page
    project.is_published = False
    project.save()
    assert "Photonics centre" not in shown()
